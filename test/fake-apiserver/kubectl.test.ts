/**
 * The machine's kubectl against the fake: discovery (incl. a CRD's short name), `create -f` with server-side
 * field validation, `get`, `wait --for=condition=...`, `apply --server-side`. kubectl sends credentials only
 * over TLS (kubernetes/kubectl#744), so this suite serves HTTPS with a throw-away certificate from openssl.
 * Skipped, with the reason, where kubectl or openssl is absent.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { selfSignedCert, type FakeApiServer } from '../support/fake-apiserver/index.js';
import { clientsFor, GROUP, mergePatch, startWithFixtures, VERSION } from './harness.js';

const run = promisify(execFile);

function available(binary: string): boolean {
  try {
    execFileSync(binary, binary === 'kubectl' ? ['version', '--client'] : ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const PROBE = (name: string, port: number, extra = ''): string =>
  `apiVersion: ${GROUP}/${VERSION}\nkind: Probe\nmetadata:\n  name: ${name}\n  namespace: default\nspec:\n  port: ${port}\n${extra}`;

describe('FakeApiServer: kubectl', function () {
  let server: FakeApiServer;
  let dir: string;

  before(function () {
    const missing = ['kubectl', 'openssl'].filter((b) => !available(b));
    if (missing.length > 0) {
      console.log(`      skipped: ${missing.join(' and ')} not found on PATH`);
      this.skip();
    }
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fake-apiserver-kubectl-'));
    server = await startWithFixtures({ tls: selfSignedCert() });
    writeFileSync(join(dir, 'kubeconfig'), server.kubeconfig());
  });

  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function kubectl(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
    const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
    try {
      const { stdout, stderr } = await run('kubectl', [...args, '--cache-dir', join(dir, 'cache')], { env });
      return { stdout, stderr, code: 0 };
    } catch (error) {
      const e = error as { stdout: string; stderr: string; code: number };
      return { stdout: e.stdout, stderr: e.stderr, code: e.code };
    }
  }

  function file(name: string, text: string): string {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  }

  it('creates from a file and gets by the CRD short name', async () => {
    const created = await kubectl('create', '-f', file('p.yaml', PROBE('web', 8080)));
    assert.equal(created.stdout.trim(), `probe.${GROUP}/web created`, created.stderr);
    const got = await kubectl('get', 'prb', '-o', 'name');
    assert.equal(got.stdout.trim(), `probe.${GROUP}/web`, got.stderr);
    const yaml = await kubectl('get', 'prb', 'web', '-o', 'jsonpath={.spec.protocol}');
    assert.equal(yaml.stdout, 'TCP');
  });

  it('shows the 422 of an invalid object, and refuses unknown fields under --validate=strict', async () => {
    const bad = await kubectl('create', '-f', file('bad.yaml', PROBE('bad', 70000)));
    assert.notEqual(bad.code, 0);
    assert.match(
      bad.stderr,
      /spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535/,
    );
    const unknown = await kubectl('create', '-f', file('unknown.yaml', PROBE('u', 80, '  bogus: 1\n')));
    assert.notEqual(unknown.code, 0);
    assert.match(unknown.stderr, /strict decoding error: unknown field "spec.bogus"/);
  });

  it('waits for a condition that a controller sets through the status subresource', async () => {
    await kubectl('create', '-f', file('p.yaml', PROBE('web', 8080)));
    const waiting = kubectl('wait', '--for=condition=Ready', 'prb/web', '--timeout=15s');
    const condition = {
      type: 'Ready',
      status: 'True',
      reason: 'Probed',
      message: 'ok',
      lastTransitionTime: new Date().toISOString(),
    };
    const body = { status: { conditions: [condition] } };
    await clientsFor(server).custom.patchNamespacedCustomObjectStatus(
      { group: GROUP, version: VERSION, namespace: 'default', plural: 'probes', name: 'web', body },
      mergePatch,
    );
    const result = await waiting;
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /condition met/);
    // Server-side printing: the CRD's printer columns, a JSONPath filter included.
    const table = await kubectl('get', 'prb');
    assert.match(table.stdout, /^NAME\s+PORT\s+READY\s+AGE\nweb\s+8080\s+True\s+\d+s\n$/);
  });

  it('applies server-side twice, recording kubectl as the field manager', async () => {
    const path = file('p.yaml', PROBE('web', 8080));
    assert.match((await kubectl('apply', '--server-side', '-f', path)).stdout, /serverside-applied/);
    file('p.yaml', PROBE('web', 9090));
    const again = await kubectl('apply', '--server-side', '-f', path);
    assert.equal(again.code, 0, again.stderr);
    const out = await kubectl(
      'get',
      'prb',
      'web',
      '-o',
      'jsonpath={.spec.port} {.metadata.managedFields[*].manager}',
    );
    assert.equal(out.stdout, '9090 kubectl');
  });
});

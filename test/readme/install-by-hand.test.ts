/**
 * The README's by-hand install ("## Install"), run as written, line by line, with the machine's kubectl,
 * against a local FAKE cluster (issue 12, "The README works verbatim"). What stands in for what:
 * - the FAKE API server plays the cluster (HTTPS: kubectl sends tokens only over TLS);
 * - the operator's Deployment cannot run its image here, so the operator runs in this process, as the
 *   `flowprobe-operator` ServiceAccount that `kubectl apply -k deploy/` created, with leader election in
 *   `flowprobe`, as the Deployment runs it;
 * - the FAKE kubelet answers probe pods from its declared outcome table (`pods: 'declared'`), not from a
 *   real network: the examples name addresses outside the cluster (169.254.169.254, a public address),
 *   which nothing here may dial. So the verdicts are Errors ("no result line"); what this proves is that
 *   every command works the first time and shows what the README says it shows.
 * Skipped, with the reason, where kubectl or openssl is absent.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { operatorConfig } from '../../src/config/operator-config.js';
import { Operator } from '../../src/controller/operator.js';
import { createLogger } from '../../src/log/logger.js';
import { selfSignedCert, serviceAccountUser } from '../support/fake-apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster/index.js';
import { missingKubectlTools } from '../support/tool-available.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The shell lines of the first ```sh block under "## Install", as a reader copies them. */
function installCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Install\n'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}

describe("the README's by-hand install, line by line, against a local FAKE cluster", function () {
  this.timeout(120_000);
  const commands = installCommands();
  let cluster: FakeCluster | undefined;
  let operator: Operator | undefined;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  /** One README line through bash, from the repository's root, as a reader runs it. */
  const sh = (line: string) =>
    run('bash', ['-c', line], { cwd: ROOT, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (e: unknown) => {
        const failed = e as { code: number; stdout: string; stderr: string };
        return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
      },
    );

  before(async function () {
    const missing = missingKubectlTools();
    if (missing.length > 0) {
      console.log(`      skipped: ${missing.join(' and ')} not found on PATH`);
      this.skip();
    }
    cluster = await FakeCluster.start({
      cni: 'enforcing',
      pods: 'declared',
      announce: false,
      apiServer: { tls: selfSignedCert(), enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'] },
    });
    dir = mkdtempSync(join(tmpdir(), 'readme-install-'));
    writeFileSync(join(dir, 'kubeconfig'), cluster.server.kubeconfig(), { mode: 0o600 });
    env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
  });

  after(async () => {
    await operator?.stop();
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has the four commands the tests below run', () => {
    assert.equal(commands.length, 4, commands.join('\n'));
    assert.match(commands[0] ?? '', /^kubectl apply -k deploy\//);
    assert.match(commands[1] ?? '', /^kubectl apply -f examples\/production\//);
  });

  it('installs the operator with its first command', async () => {
    const r = await sh(commands[0] ?? '');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /customresourcedefinition.apiextensions.k8s.io\/connectivitytests.flowprobe.dev created/,
    );
    assert.match(r.stdout, /deployment.apps\/flowprobe-operator created/);
  });

  it('applies the production example with its second, the first time', async () => {
    const r = await sh(commands[1] ?? '');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /connectivitytest.flowprobe.dev\/api-baseline created/);
  });

  it('lists the test with its run once the operator (as its ServiceAccount) has run it', async () => {
    const kubeconfig = join(dir, 'operator-kubeconfig');
    const user = serviceAccountUser('flowprobe', 'flowprobe-operator');
    writeFileSync(kubeconfig, cluster!.server.kubeconfig(user, 'flowprobe'), { mode: 0o600 });
    const config = operatorConfig(
      { kubeconfig, metricsAddr: '127.0.0.1:0', logLevel: 'error', leaseNamespace: 'flowprobe' },
      {},
      'readme-install',
    );
    operator = new Operator(config, createLogger(config.logLevel, true));
    await operator.start();
    const lastRun = `kubectl -n production get ctest api-baseline -o jsonpath='{.status.lastRunTime}'`;
    const deadline = Date.now() + 90_000;
    while ((await sh(lastRun)).stdout === '') {
      assert.ok(Date.now() < deadline, 'the operator wrote no run within 90 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const r = await sh(commands[2] ?? '');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^NAMESPACE\s+NAME\s+FLOWS\s+PASSED\s+FAILED\s+ERRORS\s+/m);
    assert.match(r.stdout, /^production\s+api-baseline\s+\d+\s+\d+\s+\d+\s+\d+\s+/m);
  });

  it("prints each flow's verdict and diagnosis with its fourth", async () => {
    const r = await sh(commands[3] ?? '');
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    const flows = readFileSync(join(ROOT, 'examples/production/30-connectivity-test.yaml'), 'utf8').match(
      /^\s+- name: /gm,
    );
    assert.equal(lines.length, flows?.length, r.stdout);
    for (const line of lines) assert.match(line, /^[a-z0-9-]+\t(Pass|Fail|Flaky|Error)\t.+$/, line);
  });
});

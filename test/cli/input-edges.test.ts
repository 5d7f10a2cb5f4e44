// The input mistakes that must never pass green, the same for every command that reads manifests
// (issue 12, "Input edges"): a CI job whose path is mistyped, or whose files hold no test, or that
// declares one test twice, gets exit 2 and a message — never "all agree".
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

const TEST = (name: string, namespace = 'shop'): string =>
  `apiVersion: flowprobe.dev/v1alpha1
kind: ConnectivityTest
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  flows:
    - {name: web-to-api, from: {labels: {app: web}}, to: {ip: 10.0.0.1}, port: 80, expect: Allowed}
`;

// `run` reads its input before it loads a kubeconfig, so these need no cluster; the kubeconfig named here
// does not exist, and the message must be about the input, not about it.
const COMMANDS: string[][] = [['explain'], ['validate'], ['run', '--kubeconfig', '/nonexistent/kubeconfig']];

const CASES: { name: string; files: Record<string, string>; stderr: RegExp }[] = [
  { name: 'an empty directory', files: {}, stderr: /no ConnectivityTest found \(0 objects read\)/ },
  {
    name: 'an empty file',
    files: { 'empty.yaml': '' },
    stderr: /no ConnectivityTest found \(0 objects read\)/,
  },
  {
    name: 'files with other kinds only',
    files: { 'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n' },
    stderr: /no ConnectivityTest found \(1 object read\)/,
  },
  {
    name: 'one test declared twice, in two files',
    files: { 'a.yaml': TEST('baseline'), 'b.yaml': TEST('baseline') },
    stderr:
      /b\.yaml \(document 1\): ConnectivityTest shop\/baseline is declared twice \(first in .*a\.yaml, document 1\)/,
  },
];

describe('every command that reads manifests refuses input it cannot honestly judge', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-edges-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const command of COMMANDS) {
    for (const c of CASES) {
      it(`${command[0]} exits 2 on ${c.name}`, async () => {
        for (const [name, text] of Object.entries(c.files)) await writeFile(join(dir, name), text);
        const r = await runCli([...command, '-f', dir]);
        assert.equal(r.code, 2, `stdout: ${r.stdout}\nstderr: ${r.stderr}`);
        assert.match(r.stderr, c.stderr);
      });
    }
  }

  it('accepts the same test name in two namespaces', async () => {
    await writeFile(join(dir, 'a.yaml'), TEST('baseline', 'shop') + '---\n' + TEST('baseline', 'billing'));
    const r = await runCli(['validate', '-f', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /OK: 2 ConnectivityTests valid/);
  });

  it('exits 2 with a message, not a stack overflow, on more objects than it reads', async () => {
    // One JSON List of 100,001 items: more than MAX_OBJECTS. Pushing them with a spread overflowed the
    // stack (RangeError, exit 1) before the limit existed.
    const items = Array.from({ length: 100_001 }, (_, i) => ({ metadata: { name: `c${i}` } }));
    await writeFile(
      join(dir, 'many.json'),
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMapList', items }),
    );
    const r = await runCli(['explain', '-f', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /more than 100000 objects in the input/);
    assert.doesNotMatch(r.stderr, /RangeError|Maximum call stack/);
  });
});

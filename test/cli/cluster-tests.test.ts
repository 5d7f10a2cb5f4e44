// `flowprobe validate` and `explain` with ClusterConnectivityTests, as a user runs them.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runCli } from '../support/run-cli.js';

const flow = {
  name: 'no-metadata',
  from: { labels: { role: 'probe' } },
  to: { ip: '169.254.169.254' },
  port: 80,
  expect: 'Denied',
};
const cctest = (spec: Record<string, unknown>) => ({
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ClusterConnectivityTest',
  metadata: { name: 'tenants' },
  spec: { namespaceSelector: { matchLabels: { tenant: 'yes' } }, flows: [flow], ...spec },
});
const namespace = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels },
});

describe('flowprobe validate and explain with ClusterConnectivityTests', () => {
  let dir: string;
  const write = async (name: string, docs: object[]) => {
    const file = join(dir, name);
    await writeFile(file, docs.map((d) => stringify(d)).join('---\n'));
    return file;
  };
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-cctest-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validate counts them and names the field of a problem', async () => {
    const ok = await runCli(['validate', '-f', 'examples/']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^OK: 4 ConnectivityTests and 1 ClusterConnectivityTest valid/m);
    const file = await write('bad.yaml', [cctest({ maxNamespaces: 0, namespaceSelector: undefined })]);
    const bad = await runCli(['validate', '-f', file]);
    assert.equal(bad.code, 1, bad.stderr);
    assert.match(bad.stdout, /tenants: spec\.maxNamespaces: /);
    assert.match(bad.stdout, /tenants: spec\.namespaceSelector: /);
  });

  it('explain predicts the flow in each matching namespace of the manifests, at most maxNamespaces', async () => {
    const file = await write('cluster.yaml', [
      namespace('c', { tenant: 'yes' }),
      namespace('a', { tenant: 'yes' }),
      namespace('b', { tenant: 'yes' }),
      namespace('other'),
      cctest({ maxNamespaces: 2 }),
    ]);
    const r = await runCli(['explain', '-f', file, '-o', 'json']);
    // No policy here denies the metadata address: each instance contradicts its expectation.
    assert.equal(r.code, 1, r.stderr);
    const rows = (JSON.parse(r.stdout) as { results: { namespace: string; test: string }[] }).results;
    assert.deepEqual(
      rows.map((x) => `${x.namespace}/${x.test}`),
      ['a/tenants', 'b/tenants'],
    );
    assert.match(r.stderr, /probed 2 of 3 matching namespaces \(maxNamespaces 2, the first by name\): a, b/);
  });

  it('explain and diff refuse one whose name a ConnectivityTest in a namespace it probes has (exit 2)', async () => {
    const plain = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ConnectivityTest',
      metadata: { name: 'tenants', namespace: 'a' },
      spec: { flows: [{ ...flow, expect: 'Allowed' }] },
    };
    const cluster = await write('cluster.yaml', [namespace('a', { tenant: 'yes' }), cctest({})]);
    const tests = await write('tests.yaml', [plain]);
    const explain = await runCli(['explain', '-f', cluster, '-f', tests, '-o', 'json']);
    assert.equal(explain.code, 2, explain.stderr);
    const named =
      /ClusterConnectivityTest tenants \(.*cluster\.yaml\) probes namespace a, where ConnectivityTest a\/tenants \(.*tests\.yaml\) has the same name/;
    assert.match(explain.stderr, named);
    const diff = await runCli(['diff', '--base', cluster, tests, '--head', cluster, tests, '-o', 'json']);
    assert.equal(diff.code, 2, diff.stderr);
    assert.match(diff.stderr, named);
  });

  it('explain refuses an invalid one with its field path (exit 2)', async () => {
    const file = await write('bad.yaml', [namespace('a', { tenant: 'yes' }), cctest({ maxNamespaces: 101 })]);
    const r = await runCli(['explain', '-f', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /ClusterConnectivityTest tenants: spec\.maxNamespaces: /);
  });
});

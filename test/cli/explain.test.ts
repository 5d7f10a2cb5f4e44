// `flowprobe explain` as a user runs it: output formats and exit codes.
import { strict as assert } from 'node:assert';
import { runCli } from '../support/run-cli.js';

const fixtures = 'test/fixtures/explain';

interface JsonResult {
  namespace: string;
  test: string;
  flow: string;
  expected: string;
  predicted: string;
  agrees: boolean | null;
  reasons: string[];
}

describe('flowprobe explain', () => {
  it('exits 1 on examples/ and shows each contradiction with its reason', async () => {
    const r = await runCli(['explain', '-f', 'examples/']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^ {3}NAMESPACE\/TEST +FLOW +TO +PORT +EXPECTED +PREDICTED$/m);
    assert.match(r.stdout, /^✗ +monitoring\/scrape-paths +grafana-cannot-scrape-api .* Denied +Allowed$/m);
    assert.match(r.stdout, /! selectors ORed, not ANDed/);
    assert.match(r.stdout, /! missing DNS egress/);
    assert.match(r.stdout, /^\? +production\/api-baseline +api-to-payments .* Allowed +Unknown$/m);
    assert.match(
      r.stdout,
      /^✗ +shop\/tenant-guardrails +storefront-resolves-via-node-local-dns .* Allowed +Denied$/m,
    );
    assert.match(r.stdout, /! admin deny: cnp\/deny-metadata egress rule 'block-metadata'/);
    assert.match(r.stdout, /^✓ +shop\/tenants-no-metadata +no-metadata .* Denied +Denied$/m);
    assert.match(r.stdout, /22 flow\(s\): 17 agree ✓, 4 contradict ✗, 1 unknown \?/);
    // Which namespaces the ClusterConnectivityTest stood for, on stderr (so -o json stays one document).
    assert.match(
      r.stderr,
      /ClusterConnectivityTest tenants-no-metadata .*: probed all 2 matching namespaces: billing, shop/,
    );
  });

  it('prints one JSON object with a results array under -o json', async () => {
    const r = await runCli(['explain', '-f', 'examples/', '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { results: JsonResult[] };
    const f = out.results.find((x) => x.flow === 'frontend-to-api')!;
    assert.deepEqual(
      {
        namespace: f.namespace,
        test: f.test,
        expected: f.expected,
        predicted: f.predicted,
        agrees: f.agrees,
      },
      {
        namespace: 'production',
        test: 'api-baseline',
        expected: 'Allowed',
        predicted: 'Allowed',
        agrees: true,
      },
    );
    assert.ok(f.reasons.every((x) => typeof x === 'string') && f.reasons.length === 2);
    assert.equal(out.results.find((x) => x.flow === 'api-to-payments')!.agrees, null);
  });

  it('exits 0 when every expectation agrees (an Unknown does not fail the run)', async () => {
    const r = await runCli(['explain', '-f', `${fixtures}/agree`]);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /5 flow\(s\): 4 agree ✓, 0 contradict ✗, 1 unknown \?/);
  });

  it('exits 2 on an invalid ConnectivityTest, with field paths', async () => {
    const r = await runCli(['explain', '-f', `${fixtures}/invalid`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /invalid\/test\.yaml \(document 1\): ConnectivityTest shop\/broken is invalid:/);
    assert.match(r.stderr, /spec\.flows\[0\]\.port: /);
    assert.match(r.stderr, /spec\.flows\[1\]/);
    assert.equal(r.stdout, '');
  });

  it('exits 2 on an invalid NetworkPolicy', async () => {
    const r = await runCli(['explain', '-f', `${fixtures}/bad-cidr.yaml`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /spec\.egress\[0\]\.to\[0\]\.ipBlock\.cidr: .*no prefix length/);
  });

  it('exits 2 on a file that cannot be read', async () => {
    const r = await runCli(['explain', '-f', `${fixtures}/no-such-file.yaml`]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no-such-file\.yaml: cannot read/);
  });

  it('exits 2 on an unknown output format', async () => {
    const r = await runCli(['explain', '-f', 'examples/', '-o', 'xml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--output must be table, json or html/);
  });
});

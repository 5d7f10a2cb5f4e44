// explain on the bundled examples/: the deliberate mistakes are found and named, everything else agrees.
// examples/platform/ adds cluster-wide policies (ClusterNetworkPolicy) that apply to every namespace, so
// production's own mistake 3 is checked on production without the platform too.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { explainObjects, type ExplainReport } from '../../src/explain/index.js';
import { expandClusterTests } from '../../src/manifest/cluster-connectivity-tests.js';
import { loadManifests } from '../../src/manifest/load.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));
const dir = (name: string) => fileURLToPath(new URL(`../../examples/${name}/`, import.meta.url));

async function explainFiles(paths: string[]): Promise<ExplainReport> {
  // As `flowprobe explain` reads them: each ClusterConnectivityTest as a ConnectivityTest per namespace.
  const { objects } = expandClusterTests(await loadManifests(paths));
  const outcome = explainObjects(objects, validateConnectivityTest);
  assert.ok('report' in outcome, 'examples are valid');
  return outcome.report;
}

describe('explain on examples/', () => {
  let report: ExplainReport;
  /** Without examples/platform/: a cluster with NetworkPolicies only. */
  let withoutPlatform: ExplainReport;
  before(async () => {
    report = await explainFiles([examples]);
    withoutPlatform = await explainFiles([dir('kube-system'), dir('monitoring'), dir('production')]);
  });
  const get = (flow: string) => report.results.find((r) => r.flow === flow)!;
  const alone = (flow: string) => withoutPlatform.results.find((r) => r.flow === flow)!;

  it('finds exactly the four deliberate contradictions and one Unknown', () => {
    const contradict = report.results
      .filter((r) => r.agrees === false)
      .map((r) => r.flow)
      .sort();
    assert.deepEqual(contradict, [
      'grafana-cannot-scrape-api',
      'prometheus-resolves-names',
      'prometheus-scrapes-api-by-name',
      'storefront-resolves-via-node-local-dns',
    ]);
    assert.deepEqual(
      report.results.filter((r) => r.agrees === null).map((r) => r.flow),
      ['api-to-payments'],
    );
    assert.deepEqual(report.summary, { flows: 22, agree: 17, contradict: 4, unknown: 1 });
  });

  it('without the platform, production and monitoring carry their mistakes (mistake 2 in two flows)', () => {
    assert.deepEqual(
      withoutPlatform.results
        .filter((r) => r.agrees === false)
        .map((r) => r.flow)
        .sort(),
      [
        'api-no-metadata-https',
        'grafana-cannot-scrape-api',
        'prometheus-resolves-names',
        'prometheus-scrapes-api-by-name',
      ],
    );
    assert.deepEqual(withoutPlatform.summary, { flows: 15, agree: 10, contradict: 4, unknown: 1 });
  });

  it('mistake 1: the OR peer lets grafana scrape the api', () => {
    const f = get('grafana-cannot-scrape-api');
    assert.equal(f.predicted, 'Allowed');
    assert.match(
      f.diagnosis[0]!,
      /^selectors ORed, not ANDed: production\/allow-monitoring-scrape ingress rule 0/,
    );
    assert.ok(
      f.reasons.some((r) =>
        r.startsWith(
          'ingress: allowed by production/allow-monitoring-scrape ingress rule 0, peer 0, port metrics (9090);',
        ),
      ),
    );
  });

  it('mistake 2: monitoring forgot DNS, so scraping by name fails', () => {
    const f = get('prometheus-scrapes-api-by-name');
    assert.equal(f.predicted, 'Denied');
    assert.match(
      f.diagnosis[0]!,
      /^missing DNS egress: egress to DNS is not allowed, so names will not resolve/,
    );
    assert.equal(get('prometheus-scrapes-api').predicted, 'Allowed'); // by pod, no name: fine
  });

  it('mistake 2 as a DNS check: asking kube-dns a question is denied, and the diagnosis says DNS egress is missing', () => {
    const f = get('prometheus-resolves-names');
    assert.deepEqual([f.protocol, f.port, f.predicted, f.agrees], ['UDP', 53, 'Denied', false]);
    assert.match(
      f.diagnosis[0]!,
      /^missing DNS egress: the source's egress does not allow DNS \(UDP 53\) to this resolver/,
    );
    assert.match(
      f.reasons[0]!,
      /^egress: denied — monitoring\/deployment\/prometheus is isolated by monitoring\/default-deny-egress/,
    );
  });

  it('says whether the source may reach DNS, for targets reached by name only', () => {
    assert.equal(get('prometheus-scrapes-api-by-name').dnsAllowed, false);
    assert.equal(get('frontend-to-api-service').dnsAllowed, true);
    assert.equal(get('prometheus-scrapes-api').dnsAllowed, undefined);
  });

  it('mistake 3: the except list forgets the metadata range (production without the platform)', () => {
    const f = alone('api-no-metadata-https');
    assert.equal(f.predicted, 'Allowed');
    assert.ok(
      f.reasons.some((r) =>
        r.startsWith('egress: allowed by production/api-egress egress rule 2, peer 0, port 443;'),
      ),
    );
    assert.match(f.diagnosis[0]!, /external egress too wide.*169\.254\.0\.0\/16/);
  });

  it("the platform's Admin Deny covers mistake 3 before production's NetworkPolicy is consulted", () => {
    const f = get('api-no-metadata-https');
    assert.deepEqual([f.predicted, f.agrees], ['Denied', true]);
    assert.equal(
      f.reasons[0],
      "egress: [Admin] cnp/deny-metadata egress rule 'block-metadata' (priority 10) Deny",
    );
  });

  it('keeps the metadata endpoint on port 80 denied, with the isolating policies named', () => {
    const f = alone('frontend-no-metadata');
    assert.equal(f.predicted, 'Denied');
    assert.match(
      f.reasons[0]!,
      /isolated by production\/default-deny-all, production\/allow-dns, production\/frontend-egress/,
    );
  });

  it('platform mistake: the Admin Deny of all of link-local also blocks NodeLocal DNSCache', () => {
    const f = get('storefront-resolves-via-node-local-dns');
    assert.deepEqual([f.predicted, f.agrees], ['Denied', false]);
    assert.match(
      f.diagnosis[0]!,
      /^admin deny: cnp\/deny-metadata egress rule 'block-metadata' \(priority 10\) Deny denies this flow before any NetworkPolicy is consulted/,
    );
    assert.ok(
      report.findings.some(
        (x) =>
          x.policy === 'cnp/deny-metadata' &&
          /makes the declared Allowed flow shop\/tenant-guardrails storefront-resolves-via-node-local-dns impossible/.test(
            x.message,
          ),
      ),
    );
  });

  it("the platform's ClusterConnectivityTest stands for one flow in each tenant namespace, denied by the Admin tier", () => {
    const flows = report.results.filter((r) => r.test === 'tenants-no-metadata');
    assert.deepEqual(
      flows.map((r) => [r.namespace, r.flow, r.predicted, r.agrees]),
      [
        ['billing', 'no-metadata', 'Denied', true],
        ['shop', 'no-metadata', 'Denied', true],
      ],
    );
  });

  it("the platform's Baseline isolates the tenants and billing's NetworkPolicy opens one path", () => {
    assert.equal(get('storefront-to-invoices').predicted, 'Allowed');
    const f = get('invoices-not-to-storefront');
    assert.equal(f.predicted, 'Denied');
    assert.match(
      f.reasons[1]!,
      /→ \[Baseline\] cnp\/isolate-shop ingress rule 'other-tenants' \(priority 10\) Deny$/,
    );
  });

  it('follows Services to their target ports', () => {
    assert.equal(get('frontend-to-api-service').to, 'svc production/api-backend → 8080');
    assert.equal(get('frontend-to-api-service').predicted, 'Allowed');
  });
});

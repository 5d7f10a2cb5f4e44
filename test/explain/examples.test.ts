// explain on the bundled examples/: the deliberate mistakes are found and named, everything else agrees.
import { strict as assert } from 'node:assert';
import { fileURLToPath } from 'node:url';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { explainObjects, type ExplainReport } from '../../src/explain/index.js';
import { loadManifests } from '../../src/manifest/load.js';

const examples = fileURLToPath(new URL('../../examples/', import.meta.url));

describe('explain on examples/', () => {
  let report: ExplainReport;
  before(async () => {
    const outcome = explainObjects(await loadManifests([examples]), validateConnectivityTest);
    assert.ok('report' in outcome, 'examples are valid');
    report = outcome.report;
  });
  const get = (flow: string) => report.results.find((r) => r.flow === flow)!;

  it('finds exactly the three deliberate contradictions and one Unknown', () => {
    const contradict = report.results
      .filter((r) => r.agrees === false)
      .map((r) => r.flow)
      .sort();
    assert.deepEqual(contradict, [
      'api-no-metadata-https',
      'grafana-cannot-scrape-api',
      'prometheus-scrapes-api-by-name',
    ]);
    assert.deepEqual(
      report.results.filter((r) => r.agrees === null).map((r) => r.flow),
      ['api-to-payments'],
    );
    assert.deepEqual(report.summary, { flows: 14, agree: 10, contradict: 3, unknown: 1 });
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

  it('says whether the source may reach DNS, for targets reached by name only', () => {
    assert.equal(get('prometheus-scrapes-api-by-name').dnsAllowed, false);
    assert.equal(get('frontend-to-api-service').dnsAllowed, true);
    assert.equal(get('prometheus-scrapes-api').dnsAllowed, undefined);
  });

  it('mistake 3: the except list forgets the metadata range', () => {
    const f = get('api-no-metadata-https');
    assert.equal(f.predicted, 'Allowed');
    assert.ok(
      f.reasons.some((r) =>
        r.startsWith('egress: allowed by production/api-egress egress rule 2, peer 0, port 443;'),
      ),
    );
    assert.match(f.diagnosis[0]!, /external egress too wide.*169\.254\.0\.0\/16/);
  });

  it('keeps the metadata endpoint on port 80 denied, with the isolating policies named', () => {
    const f = get('frontend-no-metadata');
    assert.equal(f.predicted, 'Denied');
    assert.match(
      f.reasons[0]!,
      /isolated by production\/default-deny-all, production\/allow-dns, production\/frontend-egress/,
    );
  });

  it('follows Services to their target ports', () => {
    assert.equal(get('frontend-to-api-service').to, 'svc production/api-backend → 8080');
    assert.equal(get('frontend-to-api-service').predicted, 'Allowed');
  });
});

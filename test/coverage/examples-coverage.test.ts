// `flowprobe explain --coverage` on the bundled examples/, as a user runs it (the CLI in a child process).
//
// The figures were counted by hand from the manifests:
// - Rules (13): NetworkPolicy rules in directions their policyTypes name — production: allow-dns egress 0,
//   allow-frontend-to-api ingress 0, frontend-egress egress 0, allow-monitoring-scrape ingress 0,
//   allow-api-to-postgres ingress 0, api-egress egress 0, 1, 2 (8); monitoring: allow-scrape-egress egress 0
//   (1); billing: allow-storefront ingress 0 (1); the default-deny policies have none. Cluster-scoped: deny-metadata
//   egress 'block-metadata', isolate-shop and isolate-billing ingress 'other-tenants' (3). Exercised: all but
//   isolate-billing's, which never applies — allow-storefront isolates invoices, and a NetworkPolicy decides
//   before the Baseline tier (storefront-to-invoices is allowed by allow-storefront; nothing else reaches
//   invoices). allow-dns egress 0 is exercised by the DNS query of the Service targets
//   (frontend-to-api-service). 12/13.
// - Peers (11): one per rule above, but allow-monitoring-scrape's rule has two (namespaceSelector monitoring
//   OR podSelector app=prometheus) and api-egress's three rules one each: 1+1+1+2+1+3+1+1 = 11. The scrape
//   flows come from prometheus in monitoring, which only peer 0 admits: peer 1 (app=prometheus pods of
//   production, where there are none) is the one nobody exercises. 10/11.
// - Isolations (11): production default-deny-all ingress+egress, allow-dns egress, allow-frontend-to-api
//   ingress, frontend-egress egress, allow-monitoring-scrape ingress, allow-api-to-postgres ingress,
//   api-egress egress (8); monitoring default-deny-egress and allow-scrape-egress egress (2); billing
//   allow-storefront ingress (1). Exercised by a denial: frontend-not-to-postgres is denied at web-frontend's
//   egress (isolated by default-deny-all, allow-dns, frontend-egress) and at postgres' ingress
//   (default-deny-all, allow-api-to-postgres); prometheus-not-to-postgres at prometheus' egress
//   (default-deny-egress, allow-scrape-egress). That is 7; allow-storefront, allow-frontend-to-api and
//   allow-monitoring-scrape deny none of the declared flows, and api's denied flows are denied by the Admin
//   tier before api-egress is consulted. 7/11.
// - Workloads (7): coredns, prometheus, storefront, invoices, web-frontend, api-backend, postgres. Isolated
//   for ingress: the three of production (default-deny-all) and invoices (4); for egress: the three of
//   production and prometheus (4). Tested: all 7 — coredns only through monitoring's DNS check
//   prometheus-resolves-names, whose target is kube-dns's pods (the DNS queries of name-based targets name
//   no workload). The ClusterConnectivityTest tenants-no-metadata probes from explicit labels, which name no
//   workload either, and its Admin-denied flows exercise only block-metadata, already counted. 7/7.
import { strict as assert } from 'node:assert';
import type { CoverageReport } from '../../src/coverage/index.js';
import { runCli } from '../support/run-cli.js';

describe('flowprobe explain --coverage on examples/', () => {
  it('prints the hand-counted summary, an un-exercised peer and rule, and no untested workload', async () => {
    const r = await runCli(['explain', '-f', 'examples/', '--coverage']);
    assert.equal(r.code, 1, r.stderr); // the examples' four contradictions, exactly as without --coverage
    assert.match(
      r.stdout,
      /^ {2}policy rules exercised: 12\/13 \(peers 10\/11\); isolations exercised: 7\/11; workloads isolated: ingress 4\/7, egress 4\/7; workloads tested: 7\/7$/m,
    );
    assert.match(
      r.stdout,
      /^ {4}production\/allow-monitoring-scrape ingress rule 0, peer 1 podSelector \{app=prometheus\}, TCP metrics$/m,
    );
    assert.match(
      r.stdout,
      /^ {4}\[Baseline\] ClusterNetworkPolicy isolate-billing ingress rule 0 'other-tenants' Deny, any port$/m,
    );
    assert.doesNotMatch(r.stdout, /Workloads no ConnectivityTest mentions/);
  });

  it('adds a coverage object to the JSON and leaves the rest of it as it was', async () => {
    const [plain, covered] = await Promise.all([
      runCli(['explain', '-f', 'examples/', '-o', 'json']),
      runCli(['explain', '-f', 'examples/', '-o', 'json', '--coverage']),
    ]);
    assert.equal(covered.code, plain.code, covered.stderr);
    const before = JSON.parse(plain.stdout) as Record<string, unknown>;
    const { coverage, ...rest } = JSON.parse(covered.stdout) as { coverage: CoverageReport };
    assert.deepEqual(rest, before);
    assert.deepEqual(coverage.summary, {
      rules: { exercised: 12, total: 13 },
      peers: { exercised: 10, total: 11 },
      isolations: { exercised: 7, total: 11 },
      workloads: { total: 7, isolatedIngress: 4, isolatedEgress: 4, tested: 7 },
    });
    const unexercised = coverage.isolations
      .filter((i) => !i.exercised)
      .map((i) => `${i.namespace}/${i.policy} ${i.direction}`);
    assert.deepEqual(unexercised.sort(), [
      'billing/allow-storefront ingress',
      'production/allow-frontend-to-api ingress',
      'production/allow-monitoring-scrape ingress',
      'production/api-egress egress',
    ]);
    const scrape = coverage.rules.find((x) => x.policy === 'allow-monitoring-scrape');
    assert.deepEqual(scrape?.peers, [
      { peer: 0, description: 'namespaceSelector {kubernetes.io/metadata.name=monitoring}', exercised: true },
      { peer: 1, description: 'podSelector {app=prometheus}', exercised: false },
    ]);
  });
});

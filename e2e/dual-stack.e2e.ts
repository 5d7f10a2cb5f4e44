/**
 * Dual-stack (README, "IPv6 and dual-stack"): a flow to a dual-stack pod or Service is probed in each
 * address family, and a NetworkPolicy that allows only IPv4 destinations shows the IPv6 half Blocked with a
 * prediction that agrees. Runs on kind with `networking.ipFamily: dual` (FLOWPROBE_E2E_CNI=kindnet-dual,
 * e2e/kind/kindnet-dual.yaml) or the FAKE local cluster's dual-stack mode (FLOWPROBE_E2E_CNI=dual);
 * elsewhere it skips and says why.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { FlowResult } from '../src/api/types.js';
import { chooseProvider, type E2eCluster } from './providers/index.js';
import { waitForReadyPods, waitForRun } from './support/cluster-reads.js';
import { createAll, fixtureObjectsIn } from './support/fixtures.js';

const DIR = fileURLToPath(new URL('dual-stack/', import.meta.url));
const READY_MS = 180_000;
const RUN_MS = 240_000;

describe('e2e: dual-stack flows', function () {
  this.timeout(RUN_MS + READY_MS + 60_000);
  let cluster: E2eCluster | undefined;
  let results: FlowResult[] = [];

  before(async function () {
    const chosen = await chooseProvider();
    if ('skip' in chosen) {
      console.log(`      skipped: ${chosen.skip}`);
      this.skip();
    }
    cluster = chosen.cluster;
    if (cluster.dualStack !== true) {
      console.log(`      skipped: ${cluster.description} is not dual-stack`);
      this.skip();
    }
    const kc = cluster.kubeConfig();
    await createAll(kc, fixtureObjectsIn(DIR, '00-scenario.yaml'));
    await waitForReadyPods(kc, 'dual-stack', undefined, READY_MS);
    await createAll(kc, fixtureObjectsIn(DIR, '10-test.yaml'));
    const run = await waitForRun(kc, 'dual-stack', 'dual', RUN_MS);
    results = run.status?.results ?? [];
  });

  after(async () => {
    await cluster?.stop();
  });

  const result = (flow: string): FlowResult => {
    const r = results.find((x) => x.flow === flow);
    assert.ok(r, `${flow}: ${JSON.stringify(results)}`);
    return r;
  };

  it('probes a dual-stack pod in each family: IPv4 Connected, IPv6 Blocked by the IPv4-only egress policy, as predicted', () => {
    const r = result('client-to-web');
    const seen = JSON.stringify(r);
    assert.deepEqual(
      r.families?.map((f) => [f.ipFamily, f.outcome, f.predicted]),
      [
        ['IPv4', 'Connected', 'Allowed'],
        ['IPv6', 'Blocked', 'Denied'],
      ],
      seen,
    );
    assert.match(JSON.stringify(r.families), /"target":"\[[0-9a-f:]+\]:8080"/, seen);
    assert.equal(r.verdict, 'Fail', seen);
  });

  it('probes only the IPv6 family when the flow names it', () => {
    const r = result('client-not-to-web-v6');
    assert.deepEqual([r.ipFamily, r.outcome, r.verdict, r.predicted], ['IPv6', 'Blocked', 'Pass', 'Denied']);
  });

  it("reaches a dual-stack Service at each family's cluster IP", () => {
    const r = result('other-to-svc');
    const seen = JSON.stringify(r);
    assert.deepEqual(
      r.families?.map((f) => [f.ipFamily, f.outcome, f.verdict]),
      [
        ['IPv4', 'Connected', 'Pass'],
        ['IPv6', 'Connected', 'Pass'],
      ],
      seen,
    );
  });
});

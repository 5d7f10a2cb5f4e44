// A CNI that answers denied connections with a TCP reset (kube-router by default, Calico when configured to,
// Cilium with --policy-deny-response: shared/reference/real-cluster.md, "Policy enforcers"), played by the
// FAKE CNI's `reject` mode: the probe sees Refused where a dropping CNI would time out. The diagnosis must
// not call that CNI "not enforcing" — it enforces, it just rejects — and must point at refusedMeans.
import { strict as assert } from 'node:assert';
import type { ConnectivityTest } from '../../src/api/types.js';
import {
  connectivityTest,
  createTest,
  denyIngressToWeb,
  flow,
  seedNamespace,
  statusFor,
  useFakeCluster,
} from './harness.js';

describe('the operator in a local FAKE cluster whose CNI rejects denied connections with resets', function () {
  this.timeout(180_000);
  const env = useFakeCluster('reject', ['operator']);
  before(async () => {
    await seedNamespace(env.cluster, 'rejects', [denyIngressToWeb]);
  });

  it('says a refused denied flow looks like a rejecting CNI and points at refusedMeans: Denied', async () => {
    await createTest(
      env.cluster,
      connectivityTest('rejects', 'reset', [flow('other-to-web', 'other', 'Denied')]),
    );
    const [r] = (await statusFor(env.cluster, 'rejects', 'reset')).results ?? [];
    assert.ok(r);
    assert.deepEqual([r.outcome, r.predicted, r.verdict], ['Refused', 'Denied', 'Fail'], r.diagnosis);
    assert.match(r.diagnosis, /the CNI appears to reject denied connections with resets/);
    assert.match(r.diagnosis, /set spec\.refusedMeans: Denied/);
    assert.doesNotMatch(r.diagnosis, /not enforcing/);
  });

  it('passes the same flow once the test says refusals mean Denied', async () => {
    const base = connectivityTest('rejects', 'reset-denied', [flow('other-to-web', 'other', 'Denied')]);
    const test: ConnectivityTest = { ...base, spec: { ...base.spec, refusedMeans: 'Denied' } };
    await createTest(env.cluster, test);
    const [r] = (await statusFor(env.cluster, 'rejects', 'reset-denied')).results ?? [];
    assert.ok(r);
    assert.deepEqual([r.outcome, r.verdict], ['Refused', 'Pass'], r.diagnosis);
  });
});

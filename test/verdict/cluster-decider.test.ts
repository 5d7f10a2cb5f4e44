// The diagnosis of a flow an Admin or Baseline policy decides. Many CNIs enforce NetworkPolicy but not
// ClusterNetworkPolicy / AdminNetworkPolicy: network-policy-api site-src/implementations.md lists few
// implementations, and flannel and kindnet are not among them. So a cluster Deny observed open says the CNI may not implement that kind —
// never "the CNI is not enforcing NetworkPolicy" — and a cluster Accept observed closed may be a
// NetworkPolicy the CNI applied because it ignored the Admin tier — never "something other than
// NetworkPolicy".
import { strict as assert } from 'node:assert';
import type { Expectation, Outcome, Prediction } from '../../src/api/types.js';
import { diagnose, judge, type ClusterDecider } from '../../src/verdict/index.js';

const adminDeny: ClusterDecider = {
  policy: 'ClusterNetworkPolicy cnp/x (Admin, priority 5)',
  kind: 'ClusterNetworkPolicy',
  action: 'Deny',
};
const baselineDeny: ClusterDecider = {
  policy: 'BaselineAdminNetworkPolicy banp/default (Baseline)',
  kind: 'BaselineAdminNetworkPolicy',
  action: 'Deny',
};
const adminAllow: ClusterDecider = {
  policy: 'AdminNetworkPolicy anp/ops (Admin, priority 1)',
  kind: 'AdminNetworkPolicy',
  action: 'Accept',
};

function diagnosis(
  expected: Expectation,
  outcome: Outcome,
  predicted: Prediction,
  clusterDecider?: ClusterDecider,
): string {
  const observation = { outcome, detail: outcome === 'Blocked' ? 'timeout' : 'x', settled: true };
  return diagnose({
    expected,
    observation,
    verdict: judge(expected, observation, 'Allowed'),
    prediction: { predicted, reason: 'policy reason', ...(clusterDecider ? { clusterDecider } : {}) },
    refusedMeans: 'Allowed',
  });
}

describe('diagnosing a flow a cluster-scoped policy decides', () => {
  const denyCases: [Expectation, Outcome, ClusterDecider][] = [
    ['Denied', 'Connected', adminDeny],
    ['Allowed', 'Connected', adminDeny],
    ['Denied', 'Connected', baselineDeny],
    ['Allowed', 'Connected', baselineDeny],
  ];
  for (const [expected, outcome, decider] of denyCases) {
    it(`a ${decider.kind} Deny observed open (expected ${expected}) names the policy, not NetworkPolicy`, () => {
      const text = diagnosis(expected, outcome, 'Denied', decider);
      assert.doesNotMatch(text, /not enforcing NetworkPolicy|NetworkPolicies deny/);
      assert.ok(text.includes(`the ${decider.policy} denies it`), text);
      assert.ok(text.includes(`the CNI may not implement ${decider.kind} (or not enforce it)`), text);
    });
  }

  it('a NetworkPolicy Deny observed open still says the CNI is not enforcing NetworkPolicy', () => {
    assert.match(diagnosis('Denied', 'Connected', 'Denied'), /the CNI is not enforcing NetworkPolicy/);
  });

  it('an Admin Deny observed closed against an Allowed expectation names the policy', () => {
    const text = diagnosis('Allowed', 'Blocked', 'Denied', adminDeny);
    assert.ok(text.startsWith(`expected Allowed, observed Blocked: the ${adminDeny.policy} denies it`), text);
    assert.doesNotMatch(text, /NetworkPolicies deny/);
  });

  it('an Admin Allow observed open against a Denied expectation names the policy, not NetworkPolicy', () => {
    const text = diagnosis('Denied', 'Connected', 'Allowed', adminAllow);
    assert.ok(text.includes(`the ${adminAllow.policy} admits it before any NetworkPolicy`), text);
    assert.doesNotMatch(text, /NetworkPolicies allow/);
  });

  for (const expected of ['Allowed', 'Denied'] as const) {
    it(`an Admin Allow observed closed (expected ${expected}) may be a NetworkPolicy the CNI applied instead`, () => {
      const text = diagnosis(expected, 'Blocked', 'Allowed', adminAllow);
      assert.doesNotMatch(text, /something other than NetworkPolicy/);
      assert.ok(text.includes(`the CNI may not implement ${adminAllow.kind}`), text);
    });
  }
});

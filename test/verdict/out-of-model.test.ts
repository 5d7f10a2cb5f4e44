// The diagnosis never blames the CNI for a flow that a policy flowprobe does not model may decide
// (DESIGN.md, "Policy model"): Cilium, Calico and Antrea policies allow and deny on their own, so "the
// CNI is not enforcing NetworkPolicy" (or "it rejects with resets") would be a guess stated as a fact.
import { strict as assert } from 'node:assert';
import type { Expectation, Outcome, Prediction, RefusedMeaning } from '../../src/api/types.js';
import { diagnose, judge, type OutOfModelDecider } from '../../src/verdict/index.js';

const cilium: OutOfModelDecider = {
  object: 'CiliumNetworkPolicy prod/l7-api',
  side: 'destination',
  direction: 'ingress',
};

/** Every sentence that puts the observation down to the CNI or its enforcement. */
const BLAMES_THE_CNI = /CNI|not enforcing|not have reached|reject denied connections/;

function diagnosis(
  expected: Expectation,
  outcome: Outcome,
  predicted: Prediction,
  refusedMeans: RefusedMeaning,
  outOfModel?: OutOfModelDecider[],
): string {
  const observation = { outcome, detail: outcome === 'Blocked' ? 'timeout' : 'x', settled: true };
  const verdict = judge(expected, observation, refusedMeans);
  return diagnose({
    expected,
    observation,
    verdict,
    prediction: { predicted, reason: 'policy reason', ...(outOfModel ? { outOfModel } : {}) },
    refusedMeans,
    timing: { graceMs: 3000, attempts: [] },
  });
}

describe('diagnosing a flow a policy outside the model may decide', () => {
  it('the issue’s case: expected Denied, observed Connected — the Cilium policy, not the CNI', () => {
    // Without the object, a Denied prediction would blame the CNI…
    assert.match(
      diagnosis('Denied', 'Connected', 'Denied', 'Allowed'),
      /the CNI is not enforcing NetworkPolicy/,
    );
    // …with it, the observation may come from the object, which the diagnosis names.
    assert.equal(
      diagnosis('Denied', 'Connected', 'Unknown', 'Allowed', [cilium]),
      'expected Denied, observed Connected: the observation may come from CiliumNetworkPolicy prod/l7-api (it may select the destination, ingress), which flowprobe does not model',
    );
  });

  const expectations: Expectation[] = ['Allowed', 'Denied'];
  const outcomes: Outcome[] = ['Connected', 'Refused', 'Blocked', 'Unreachable'];
  const predictions: Prediction[] = ['Allowed', 'Denied', 'Unknown'];
  const meanings: RefusedMeaning[] = ['Allowed', 'Denied'];
  for (const expected of expectations)
    for (const outcome of outcomes)
      for (const predicted of predictions)
        for (const refusedMeans of meanings) {
          it(`never blames the CNI: expected ${expected}, observed ${outcome}, predicted ${predicted}, refusedMeans ${refusedMeans}`, () => {
            const text = diagnosis(expected, outcome, predicted, refusedMeans, [cilium]);
            assert.doesNotMatch(text, BLAMES_THE_CNI);
            assert.match(text, /CiliumNetworkPolicy prod\/l7-api \(it may select the destination, ingress\)/);
          });
        }

  it('names every object that may decide, each with its side', () => {
    const calico: OutOfModelDecider = {
      object: 'Calico GlobalNetworkPolicy deny-all',
      side: 'source',
      direction: 'egress',
    };
    assert.match(
      diagnosis('Allowed', 'Blocked', 'Unknown', 'Allowed', [cilium, calico]),
      /may come from CiliumNetworkPolicy prod\/l7-api \(it may select the destination, ingress\) or Calico GlobalNetworkPolicy deny-all \(it may select the source, egress\)/,
    );
  });

  it('an observation that holds says so, and why the prediction is Unknown', () => {
    assert.equal(
      diagnosis('Allowed', 'Connected', 'Unknown', 'Allowed', [cilium]),
      'as expected: connected (the prediction is Unknown: CiliumNetworkPolicy prod/l7-api (it may select the destination, ingress) may decide this flow, and flowprobe does not model it)',
    );
  });
});

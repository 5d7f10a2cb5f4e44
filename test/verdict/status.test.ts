import { strict as assert } from 'node:assert';
import type { Condition, FlowResult, Verdict } from '../../src/api/types.js';
import { setCondition, statusAfterRun, statusForInvalidSpec } from '../../src/verdict/index.js';

const T1 = '2026-11-24T10:00:00Z';
const T2 = '2026-11-24T10:05:00Z';

function result(flow: string, verdict: Verdict): FlowResult {
  const outcome = verdict === 'Pass' ? 'Connected' : verdict === 'Error' ? 'Error' : 'Blocked';
  return { flow, expected: 'Allowed', outcome, detail: 'x', verdict, predicted: 'Allowed', diagnosis: 'd' };
}

function condition(status: { conditions?: Condition[] }, type: string): Condition {
  const found = status.conditions?.find((c) => c.type === type);
  assert.ok(found, `no ${type} condition`);
  return found;
}

describe('shaping a ConnectivityTest status', () => {
  it('summarizes a run and says all flows hold', () => {
    const s = statusAfterRun(undefined, {
      generation: 3,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Pass'), result('b', 'Pass')],
    });
    assert.deepEqual(s.summary, { flows: 2, passed: 2, failed: 0, errors: 0 });
    assert.equal(s.observedGeneration, 3);
    assert.equal(s.lastRunTime, T1);
    assert.equal(condition(s, 'Passing').status, 'True');
    assert.equal(condition(s, 'Passing').reason, 'AllFlowsAsExpected');
    assert.equal(condition(s, 'Ready').status, 'True');
    assert.equal(condition(s, 'Passing').observedGeneration, 3);
  });

  it('names the drifting flows in a Passing=False condition with reason Drift', () => {
    const s = statusAfterRun(undefined, {
      generation: 1,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Pass'), result('b', 'Fail')],
    });
    const passing = condition(s, 'Passing');
    assert.equal(passing.status, 'False');
    assert.equal(passing.reason, 'Drift');
    assert.match(passing.message, /\bb\b/);
    assert.deepEqual(s.summary, { flows: 2, passed: 1, failed: 1, errors: 0 });
  });

  it('counts a flaky flow as failed and names it with reason Flaky', () => {
    const s = statusAfterRun(undefined, {
      generation: 1,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Flaky')],
    });
    assert.equal(condition(s, 'Passing').reason, 'Flaky');
    assert.equal(s.summary?.failed, 1);
  });

  it('does not claim Passing when probes only errored', () => {
    const s = statusAfterRun(undefined, {
      generation: 1,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Pass'), result('b', 'Error')],
    });
    assert.equal(condition(s, 'Passing').status, 'Unknown');
    assert.equal(condition(s, 'Passing').reason, 'ProbeErrors');
    assert.equal(s.summary?.errors, 1);
  });

  it('keeps lastTransitionTime while a condition keeps its status, and moves it on a flip', () => {
    const first = statusAfterRun(undefined, {
      generation: 1,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Pass')],
    });
    const same = statusAfterRun(first, {
      generation: 1,
      runId: 'r2',
      time: T2,
      results: [result('a', 'Pass')],
    });
    assert.equal(condition(same, 'Passing').lastTransitionTime, T1);
    const flipped = statusAfterRun(first, {
      generation: 1,
      runId: 'r2',
      time: T2,
      results: [result('a', 'Fail')],
    });
    assert.equal(condition(flipped, 'Passing').lastTransitionTime, T2);
  });

  it("moves a flow result's lastTransitionTime only when its verdict changes", () => {
    const first = statusAfterRun(undefined, {
      generation: 1,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Pass'), result('b', 'Pass')],
    });
    const next = statusAfterRun(first, {
      generation: 1,
      runId: 'r2',
      time: T2,
      results: [result('a', 'Pass'), result('b', 'Fail')],
    });
    const transitions = Object.fromEntries((next.results ?? []).map((r) => [r.flow, r.lastTransitionTime]));
    assert.deepEqual(transitions, { a: T1, b: T2 });
  });

  it('marks an invalid spec with Ready=False, reason InvalidSpec, the problems, and no results', () => {
    const before = statusAfterRun(undefined, {
      generation: 1,
      runId: 'r1',
      time: T1,
      results: [result('a', 'Pass')],
    });
    const s = statusForInvalidSpec(before, 2, ['spec.flows[0].port: must be 1..65535'], T2);
    const ready = condition(s, 'Ready');
    assert.equal(ready.status, 'False');
    assert.equal(ready.reason, 'InvalidSpec');
    assert.match(ready.message, /spec\.flows\[0\]\.port: must be 1\.\.65535/);
    assert.equal(s.results, undefined);
    assert.equal(s.observedGeneration, 2);
  });

  it('replaces a condition of the same type instead of adding a second one', () => {
    const once = setCondition([], { type: 'Ready', status: 'True', reason: 'RunComplete', message: '' }, T1);
    const twice = setCondition(
      once,
      { type: 'Ready', status: 'False', reason: 'InvalidSpec', message: '' },
      T2,
    );
    assert.deepEqual(
      twice.map((c) => c.reason),
      ['InvalidSpec'],
    );
  });
});

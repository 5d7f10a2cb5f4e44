import { strict as assert } from 'node:assert';
import type { Verdict } from '../../src/api/types.js';
import { nextStreak, previousStreak, runResult, shapeRun } from '../../src/metrics/index.js';
import { result } from './support/fixtures.js';

const AT = new Date('2026-11-24T10:00:00Z');

describe('shaping the series of a run', () => {
  it('keeps of each flow its outcome, verdict, expectation, duration in seconds and failure streak', () => {
    const { flows } = shapeRun([result('a', 'Fail', 'Connected', { expected: 'Denied', durationMs: 12 })], {
      finishedAt: AT,
    });
    assert.deepEqual(flows, [
      {
        flow: 'a',
        outcome: 'Connected',
        verdict: 'Fail',
        expected: 'Denied',
        durationSeconds: 0.012,
        consecutiveFailures: 1,
      },
    ]);
  });

  it('leaves the duration out when the probe reported none, in the flow and in the histogram', () => {
    const { flows, probeDurations } = shapeRun([result('a', 'Error', 'Error')], { finishedAt: AT });
    assert.ok(!('durationSeconds' in flows[0]!));
    assert.deepEqual(probeDurations, []);
  });

  it('observes each reported probe duration by outcome for the histogram', () => {
    const { probeDurations } = shapeRun(
      [
        result('a', 'Pass', 'Connected', { durationMs: 20 }),
        result('b', 'Fail', 'Blocked', { durationMs: 3000 }),
      ],
      { finishedAt: AT },
    );
    assert.deepEqual(probeDurations, [
      { outcome: 'Connected', seconds: 0.02 },
      { outcome: 'Blocked', seconds: 3 },
    ]);
  });

  it('gives the test its run time in Unix seconds, flows by verdict, interval and probes by outcome', () => {
    const { test } = shapeRun(
      [result('a', 'Pass', 'Connected'), result('b', 'Fail', 'Blocked'), result('c', 'Pass', 'Blocked')],
      { finishedAt: AT, intervalSeconds: 300 },
    );
    assert.deepEqual(test, {
      lastRunTimestampSeconds: AT.getTime() / 1000,
      flowsByVerdict: { Pass: 2, Fail: 1, Flaky: 0, Error: 0 },
      intervalSeconds: 300,
      result: 'Fail',
      probesByOutcome: { Connected: 1, Refused: 0, Blocked: 2, Unreachable: 0, DNSFailure: 0, Error: 0 },
    });
  });

  it('has no interval for a test that runs once per spec change', () => {
    const { test } = shapeRun([], { finishedAt: AT });
    assert.ok(!('intervalSeconds' in test));
  });

  it('extends a flow failure streak it knows and starts the others', () => {
    const { flows } = shapeRun(
      [result('a', 'Fail', 'Blocked'), result('b', 'Fail', 'Blocked')],
      {
        finishedAt: AT,
      },
      new Map([['a', 3]]),
    );
    assert.deepEqual(
      flows.map((f) => [f.flow, f.consecutiveFailures]),
      [
        ['a', 4],
        ['b', 1],
      ],
    );
  });
});

describe('the result of a run', () => {
  const table: [string, Verdict[], string][] = [
    ['no flows at all', [], 'Pass'],
    ['every flow passing', ['Pass', 'Pass'], 'Pass'],
    ['one failing flow', ['Pass', 'Fail'], 'Fail'],
    ['a flaky flow (counted as failed, as the status summary does)', ['Pass', 'Flaky'], 'Fail'],
    ['an erring flow and no failure', ['Pass', 'Error'], 'Error'],
    ['a failure and an error together', ['Error', 'Fail'], 'Fail'],
  ];
  for (const [what, verdicts, expected] of table) {
    it(`is ${expected} for ${what}`, () => {
      assert.equal(runResult(verdicts.map((v, i) => result(`f${i}`, v, 'Connected'))), expected);
    });
  }
});

describe('counting consecutive failing runs', () => {
  const table: [number, Verdict, number][] = [
    [0, 'Fail', 1],
    [1, 'Fail', 2],
    [5, 'Pass', 0],
    [5, 'Flaky', 0],
    [5, 'Error', 0],
  ];
  for (const [before, verdict, after] of table) {
    it(`goes from ${before} to ${after} after a run with verdict ${verdict}`, () => {
      assert.equal(nextStreak(before, verdict), after);
    });
  }

  it('prefers what this process remembers over the previous status', () => {
    assert.equal(previousStreak('a', new Map([['a', 4]]), [result('a', 'Pass', 'Connected')]), 4);
  });

  it('counts a Fail in the previous status as one failing run after a restart', () => {
    assert.equal(previousStreak('a', undefined, [result('a', 'Fail', 'Blocked')]), 1);
    assert.equal(previousStreak('a', new Map(), [result('a', 'Error', 'Error')]), 0);
    assert.equal(previousStreak('a', undefined, undefined), 0);
  });
});

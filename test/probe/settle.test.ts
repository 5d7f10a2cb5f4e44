import { strict as assert } from 'node:assert';
import { MAX_CONCURRENT_PROBES } from '../../src/probe/script.js';
import { probeWaves, settleArgument, settleOptions, worstCaseMs } from '../../src/probe/settle.js';

describe('settle options', () => {
  it('settle by default on two agreeing attempts that span at least two seconds, one a second', () => {
    const s = settleOptions(2);
    assert.deepEqual([s.agree, s.windowMs, s.intervalMs, s.maxAttempts], [2, 2000, 1000, 6]);
  });

  it('turn settling off for a single attempt', () => {
    assert.equal(settleArgument(settleOptions(2, 1)), 'settle|1|1|0|0|0|0');
  });

  it('carry the start-up grace as the last field of the argument, once for the whole script', () => {
    const table: [number, number, string][] = [
      [1, 0, 'settle|1|1|0|0|0|0'],
      [1, 3000, 'settle|1|1|0|0|0|3000'],
      [6, 0, 'settle|6|2|2000|1000|14000|0'],
      [6, 3000, 'settle|6|2|2000|1000|14000|3000'],
    ];
    for (const [attempts, graceMs, argument] of table) {
      assert.equal(settleArgument(settleOptions(2, attempts, graceMs)), argument);
    }
  });

  it('count the grace in the worst case, so that the pod deadline and the run wait for it', () => {
    const without = worstCaseMs(settleOptions(3), 3, 1);
    assert.equal(worstCaseMs(settleOptions(3, 6, 3000), 3, 1), without + 3000);
  });

  it('space few attempts further apart so that they can still span the window', () => {
    const s = settleOptions(2, 2);
    assert.ok(s.intervalMs * (s.maxAttempts - 1) >= s.windowMs);
  });

  it('leave room in the budget for a Connected that turns Blocked', () => {
    const s = settleOptions(2);
    // Connected at 0 and 1 s, then two Blocked attempts of 2 s each, the second starting at 4 s.
    assert.ok(s.budgetMs > 4000);
    assert.ok(worstCaseMs(s, 2, 1) > s.budgetMs + 3 * 2000);
  });
});

describe('the worst case of a probe pod', () => {
  const s = settleOptions(2);
  const one = worstCaseMs(s, 2, 1);

  it('is one probe lifetime for as many probes as run at once: a run of N flows takes about one timeout', () => {
    assert.equal(worstCaseMs(s, 2, MAX_CONCURRENT_PROBES), one);
  });

  it('grows by one probe lifetime for every further wave of probes that waits for a free slot', () => {
    const probeMs = one - 1000;
    assert.equal(probeWaves(MAX_CONCURRENT_PROBES + 1), 2);
    assert.equal(worstCaseMs(s, 2, MAX_CONCURRENT_PROBES + 1), one + probeMs);
    assert.equal(probeWaves(100), Math.ceil(100 / MAX_CONCURRENT_PROBES));
    assert.equal(worstCaseMs(s, 2, 100), probeWaves(100) * probeMs + 1000);
  });

  it('counts an empty pod as one wave', () => {
    assert.equal(probeWaves(0), 1);
  });
});

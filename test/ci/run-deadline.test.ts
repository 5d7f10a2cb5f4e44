// `flowprobe run --timeout` as a budget for the whole command (src/ci/run-deadline.ts): what stops when.
// Real timers with short timeouts; each test awaits the signals it names, never a duration.
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { cleanupShareMs, RunDeadline } from '../../src/ci/run-deadline.js';

function aborted(signal: AbortSignal): Promise<unknown> {
  return signal.aborted ? Promise.resolve() : once(signal, 'abort');
}

describe("flowprobe run's deadline", () => {
  const deadlines: RunDeadline[] = [];
  const start = (timeoutMs: number, elapsedMs = 0, onExpired = () => {}) => {
    const d = new RunDeadline({ timeoutMs, label: `${timeoutMs}ms`, elapsedMs, onExpired });
    deadlines.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of deadlines.splice(0)) d.dispose();
  });

  it('keeps a quarter of the time for clean-up, at most 10 s', () => {
    const rows: [number, number][] = [
      [5_000, 1_250],
      [30_000, 7_500],
      [40_000, 10_000],
      [600_000, 10_000],
    ];
    for (const [timeout, share] of rows)
      assert.equal(cleanupShareMs(timeout), share, `--timeout ${timeout} ms`);
  });

  it('stops the probing first, then clean-up, then ends the process', async () => {
    let expired = false;
    const expiry = new Promise<void>((resolve) => {
      start(800, 0, () => {
        expired = true;
        resolve();
      });
    });
    const d = deadlines[0]!;
    await aborted(d.workSignal);
    assert.equal(d.cleanupSignal.aborted, false, 'clean-up still has its share');
    assert.match((d.workSignal.reason as Error).message, /^timed out after 800ms$/);
    await aborted(d.cleanupSignal);
    assert.equal(expired, false, 'the process ends last');
    await expiry;
  });

  it('counts the time spent before it was made (loading, reading the files) against the timeout', () => {
    const d = start(5_000, 5_000);
    assert.equal(d.workSignal.aborted, true);
    assert.equal(d.cleanupSignal.aborted, true);
  });

  it('writes as its expiry the moment the whole command ends: start + timeout', () => {
    const before = Date.now();
    const d = start(60_000, 2_000);
    const after = Date.now();
    assert.ok(d.expiresAt.getTime() >= before + 58_000 && d.expiresAt.getTime() <= after + 58_000);
  });

  it('on Ctrl-C stops the probing at once and leaves clean-up running; a second Ctrl-C stops clean-up', () => {
    const d = start(60_000);
    d.interrupt('SIGINT');
    assert.equal(d.workSignal.aborted, true);
    assert.match((d.workSignal.reason as Error).message, /interrupted \(SIGINT\)/);
    assert.equal(d.cleanupSignal.aborted, false);
    d.interrupt('SIGINT');
    assert.equal(d.cleanupSignal.aborted, true);
  });

  it('after Ctrl-C gives clean-up only its share, not the rest of the timeout', async () => {
    // An 8 s timeout: its deadline would stop clean-up after 7.75 s, the share after the interrupt after 2 s.
    const d = start(8_000);
    d.interrupt('SIGTERM');
    await aborted(d.cleanupSignal);
    assert.match((d.cleanupSignal.reason as Error).message, /clean-up took over 2s/);
  });
});

// When the operator recomputes coverage: once for a burst of changes, at most once per gap, never after stop.
import { strict as assert } from 'node:assert';
import { CoverageUpdater } from '../../src/controller/coverage-updater.js';
import { FakeClock } from '../support/fake-clock.js';

function updater(clock: FakeClock, gapMs = 2000) {
  const calls: number[] = [];
  const errors: unknown[] = [];
  const u = new CoverageUpdater(
    clock,
    () => calls.push(clock.now()),
    (err) => errors.push(err),
    gapMs,
  );
  return { u, calls, errors };
}

describe('CoverageUpdater', () => {
  it('recomputes once for a burst of changes, right away the first time', () => {
    const clock = new FakeClock();
    const { u, calls } = updater(clock);
    for (let i = 0; i < 100; i++) u.due();
    clock.advance(0);
    assert.deepEqual(calls, [0]);
  });

  it('waits out the gap after a recompute, then recomputes once for every change meanwhile', () => {
    const clock = new FakeClock();
    const { u, calls } = updater(clock);
    u.due();
    clock.advance(0);
    clock.advance(500);
    u.due();
    u.due();
    clock.advance(1000);
    assert.deepEqual(calls, [0]);
    clock.advance(500);
    assert.deepEqual(calls, [0, 2000]);
    clock.advance(10_000);
    assert.deepEqual(calls, [0, 2000]);
  });

  it('reports a failed recompute and tries again on the next change', () => {
    const clock = new FakeClock();
    let fail = true;
    const errors: unknown[] = [];
    let done = 0;
    const u = new CoverageUpdater(
      clock,
      () => {
        if (fail) throw new Error('boom');
        done += 1;
      },
      (err) => errors.push(err),
      2000,
    );
    u.due();
    clock.advance(0);
    fail = false;
    u.due();
    clock.advance(2000);
    assert.deepEqual([errors.length, done], [1, 1]);
  });

  it('does nothing after stop, even for a change already scheduled', () => {
    const clock = new FakeClock();
    const { u, calls } = updater(clock);
    u.due();
    u.stop();
    u.due();
    clock.advance(10_000);
    assert.deepEqual(calls, []);
  });
});

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

  it('counts the gap from the end of a recompute, and waits five times as long as a slow one took', () => {
    const clock = new FakeClock();
    const calls: number[] = [];
    // Each recompute takes 3 s (10k flows take about 3.8 s): the clock moves on while it runs.
    const u = new CoverageUpdater(
      clock,
      () => {
        calls.push(clock.now());
        clock.advance(3000);
      },
      () => undefined,
      2000,
    );
    u.due();
    clock.advance(0);
    assert.equal(clock.now(), 3000);
    u.due();
    clock.advance(0);
    clock.advance(14_999);
    assert.deepEqual(calls, [0], 'a change during a rollout must not start the next recompute back to back');
    clock.advance(1);
    assert.deepEqual(calls, [0, 18_000]);
  });

  it('never waits longer than a minute however long a recompute took', () => {
    const clock = new FakeClock();
    const calls: number[] = [];
    const u = new CoverageUpdater(
      clock,
      () => {
        calls.push(clock.now());
        clock.advance(30_000);
      },
      () => undefined,
      2000,
    );
    u.due();
    clock.advance(0);
    u.due();
    clock.advance(60_000);
    assert.deepEqual(calls, [0, 90_000]);
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

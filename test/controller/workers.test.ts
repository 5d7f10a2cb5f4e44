import { strict as assert } from 'node:assert';
import { ReconcileError } from '../../src/controller/reconcile-error.js';
import { WorkQueue } from '../../src/controller/work-queue.js';
import { runWorkers, type ReconcileResult } from '../../src/controller/workers.js';
import { FakeClock } from '../support/fake-clock.js';

/** Lets queued promise callbacks run. */
const settle = () => new Promise((r) => setImmediate(r));

describe('the reconcile workers', () => {
  let clock: FakeClock;
  let queue: WorkQueue;
  let calls: string[];
  let errors: [string, number | undefined][];
  let behaviour: (key: string) => Promise<ReconcileResult>;
  let running: Promise<void>;

  beforeEach(() => {
    clock = new FakeClock();
    queue = new WorkQueue(clock, { baseMs: 1000, maxMs: 60_000 });
    calls = [];
    errors = [];
    behaviour = () => Promise.resolve({});
    running = runWorkers(
      queue,
      (key) => {
        calls.push(key);
        return behaviour(key);
      },
      2,
      { onError: (key, _err, retry) => errors.push([key, retry]) },
    );
  });

  afterEach(async () => {
    queue.shutDown();
    await running;
  });

  it('comes back after the interval the reconciler returns', async () => {
    behaviour = () => Promise.resolve({ requeueAfterMs: 300_000 });
    queue.add('prod/a');
    await settle();
    assert.deepEqual(calls, ['prod/a']);
    clock.advance(299_999);
    await settle();
    assert.equal(calls.length, 1);
    clock.advance(1);
    await settle();
    assert.deepEqual(calls, ['prod/a', 'prod/a']);
  });

  it('retries a failing key with growing delays and resets after a success', async () => {
    let fail = true;
    behaviour = () => (fail ? Promise.reject(new Error('apiserver 500')) : Promise.resolve({}));
    queue.add('prod/a');
    await settle();
    clock.advance(1000);
    await settle();
    assert.deepEqual(errors, [
      ['prod/a', 1000],
      ['prod/a', 2000],
    ]);
    fail = false;
    clock.advance(2000);
    await settle();
    assert.equal(queue.failuresOf('prod/a'), 0);
    assert.equal(calls.length, 3);
  });

  it('gives up on an error that a retry cannot help, until the key is added again', async () => {
    behaviour = () => Promise.reject(new ReconcileError('invalid spec', false));
    queue.add('prod/a');
    await settle();
    clock.advance(600_000);
    await settle();
    assert.deepEqual(errors, [['prod/a', undefined]]);
    assert.equal(calls.length, 1);
  });

  it('never reconciles one key twice at once, even with idle workers', async () => {
    let release!: () => void;
    let inFlight = 0;
    let maxInFlight = 0;
    behaviour = async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise<void>((r) => (release = r));
      inFlight--;
      return {};
    };
    queue.add('prod/a');
    await settle();
    queue.add('prod/a');
    await settle();
    assert.equal(calls.length, 1);
    release();
    await settle();
    await settle();
    assert.equal(calls.length, 2);
    release();
    await settle();
    assert.equal(maxInFlight, 1);
  });
});

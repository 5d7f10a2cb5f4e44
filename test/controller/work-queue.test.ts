import { strict as assert } from 'node:assert';
import { WorkQueue } from '../../src/controller/work-queue.js';
import { FakeClock } from '../support/fake-clock.js';

/** The next key if one is ready now, else 'nothing ready' (without leaving a waiting get() behind). */
async function next(queue: WorkQueue): Promise<string | undefined> {
  return queue.depth() > 0 ? queue.get() : 'nothing ready';
}

describe('the work queue', () => {
  let clock: FakeClock;
  let queue: WorkQueue;
  beforeEach(() => {
    clock = new FakeClock();
    queue = new WorkQueue(clock, { baseMs: 1000, maxMs: 8000 });
  });
  afterEach(() => {
    queue.shutDown();
  });

  it('merges duplicate keys', async () => {
    queue.add('prod/a');
    queue.add('prod/a');
    queue.add('prod/b');
    assert.equal(queue.depth(), 2);
    assert.equal(await next(queue), 'prod/a');
    assert.equal(await next(queue), 'prod/b');
    assert.equal(await next(queue), 'nothing ready');
  });

  it('never hands out a key twice at once; one added in flight runs again after done', async () => {
    queue.add('prod/a');
    const key = await next(queue);
    queue.add('prod/a');
    assert.equal(await next(queue), 'nothing ready');
    queue.done(key!);
    assert.equal(await next(queue), 'prod/a');
  });

  it('does not re-run a key after done unless it was added again', async () => {
    queue.add('prod/a');
    queue.done((await next(queue))!);
    assert.equal(await next(queue), 'nothing ready');
  });

  it('hands a key to a worker already waiting for one', async () => {
    const waiting = queue.get();
    queue.add('prod/a');
    assert.equal(await waiting, 'prod/a');
  });

  it('runs a scheduled key when its time comes, not before', async () => {
    queue.addAfter('prod/a', 5000);
    clock.advance(4999);
    assert.equal(await next(queue), 'nothing ready');
    clock.advance(1);
    assert.equal(await next(queue), 'prod/a');
  });

  it('keeps the earlier time when one key is scheduled twice', async () => {
    queue.addAfter('prod/a', 5000);
    queue.addAfter('prod/a', 2000);
    queue.addAfter('prod/a', 9000);
    clock.advance(2000);
    assert.equal(await next(queue), 'prod/a');
    queue.done('prod/a');
    clock.advance(10_000);
    assert.equal(await next(queue), 'nothing ready');
  });

  it('backs off a failing key exponentially up to the cap, and forget resets it', () => {
    const delays = [1, 2, 3, 4, 5].map(() => queue.addRateLimited('prod/a'));
    assert.deepEqual(delays, [1000, 2000, 4000, 8000, 8000]);
    queue.forget('prod/a');
    assert.equal(queue.addRateLimited('prod/a'), 1000);
  });

  it('keeps backoff per key', () => {
    queue.addRateLimited('prod/a');
    queue.addRateLimited('prod/a');
    assert.equal(queue.addRateLimited('prod/b'), 1000);
  });

  it('releases waiting workers with undefined on shut down and drops scheduled keys', async () => {
    const waiting = queue.get();
    queue.addAfter('prod/a', 1000);
    queue.shutDown();
    assert.equal(await waiting, undefined);
    assert.equal(clock.pending(), 0);
    queue.add('prod/b');
    assert.equal(await queue.get(), undefined);
  });
});

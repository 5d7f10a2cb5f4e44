import { strict as assert } from 'node:assert';
import {
  LeaderElector,
  type LeaseCallOptions,
  type LeaseStore,
} from '../../src/controller/leader-election.js';
import type { LeaseRecord } from '../../src/kube/objects.js';
import { FakeClock } from '../support/fake-clock.js';

/**
 * A FAKE lease store in memory, with the one API-server behaviour election relies on: a replace carrying a
 * stale resourceVersion fails with a conflict, and a create of an existing lease fails.
 */
class FakeLeaseStore implements LeaseStore {
  lease: LeaseRecord | undefined;
  private version = 0;
  failWrites = false;
  /** Writes get no answer until the caller's signal aborts: an API server that hangs. */
  hangWrites = false;

  readLease(): Promise<LeaseRecord | undefined> {
    return Promise.resolve(this.lease && { ...this.lease });
  }

  writeLease(next: LeaseRecord, options: LeaseCallOptions = {}): Promise<LeaseRecord> {
    if (this.failWrites) return Promise.reject(new Error('apiserver unavailable'));
    if (this.hangWrites) {
      return new Promise((_resolve, reject) => {
        options.signal?.addEventListener('abort', () => {
          reject(options.signal?.reason as Error);
        });
      });
    }
    if (next.resourceVersion !== this.lease?.resourceVersion)
      return Promise.reject(new Error('409 Conflict'));
    this.lease = { ...next, resourceVersion: String(++this.version) };
    return Promise.resolve({ ...this.lease });
  }
}

const config = (identity: string) => ({
  namespace: 'flowprobe',
  name: 'flowprobe-operator',
  identity,
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
});

const noHooks = { onStartedLeading: () => undefined, onStoppedLeading: () => undefined };
const settle = () => new Promise((r) => setImmediate(r));

describe('leader election on a Lease', () => {
  let clock: FakeClock;
  let store: FakeLeaseStore;
  beforeEach(() => {
    clock = new FakeClock();
    store = new FakeLeaseStore();
  });

  it('lets the first candidate take an absent lease', async () => {
    const a = new LeaderElector(store, config('a'), clock, noHooks);
    assert.equal(await a.tryAcquireOrRenew(), true);
    assert.equal(store.lease?.holder, 'a');
    assert.equal(store.lease.leaseDurationSeconds, 15);
  });

  it('keeps a second candidate out while the holder renews', async () => {
    const a = new LeaderElector(store, config('a'), clock, noHooks);
    const b = new LeaderElector(store, config('b'), clock, noHooks);
    await a.tryAcquireOrRenew();
    for (let i = 0; i < 10; i++) {
      clock.advance(2_000);
      await a.tryAcquireOrRenew();
      assert.equal(await b.tryAcquireOrRenew(), false);
    }
    assert.equal(store.lease?.holder, 'a');
  });

  it('lets a candidate take over once the holder stopped renewing for a lease duration, by its own clock', async () => {
    const a = new LeaderElector(store, config('a'), clock, noHooks);
    const b = new LeaderElector(store, config('b'), clock, noHooks);
    await a.tryAcquireOrRenew();
    assert.equal(await b.tryAcquireOrRenew(), false);
    clock.advance(14_999);
    assert.equal(await b.tryAcquireOrRenew(), false);
    clock.advance(1);
    assert.equal(await b.tryAcquireOrRenew(), true);
    assert.equal(store.lease?.holder, 'b');
    assert.equal(store.lease.transitions, 1);
  });

  it('lets only one of two racing candidates win (optimistic concurrency)', async () => {
    const a = new LeaderElector(store, config('a'), clock, noHooks);
    const b = new LeaderElector(store, config('b'), clock, noHooks);
    const results = await Promise.allSettled([a.tryAcquireOrRenew(), b.tryAcquireOrRenew()]);
    const won = results.filter((r) => r.status === 'fulfilled' && r.value).length;
    assert.equal(won, 1);
  });

  it('releases the lease on stop so a successor takes over at once', async () => {
    const events: string[] = [];
    const a = new LeaderElector(store, config('a'), clock, {
      onStartedLeading: () => events.push('a leads'),
      onStoppedLeading: () => events.push('a stops'),
    });
    a.start();
    await settle();
    assert.equal(a.isLeader, true);
    await a.stop();
    const b = new LeaderElector(store, config('b'), clock, noHooks);
    assert.equal(await b.tryAcquireOrRenew(), true);
    assert.deepEqual(events, ['a leads', 'a stops']);
  });

  it('stops leading when renewals fail past the renew deadline, not at the first failure', async () => {
    const events: string[] = [];
    const a = new LeaderElector(store, config('a'), clock, {
      onStartedLeading: () => events.push('lead'),
      onStoppedLeading: () => events.push('stop'),
      onError: () => undefined,
    });
    a.start();
    await settle();
    store.failWrites = true;
    for (let t = 0; t < 8_000; t += 2_000) {
      clock.advance(2_000);
      await settle();
    }
    assert.equal(a.isLeader, true, 'still leading within the renew deadline');
    clock.advance(2_000);
    await settle();
    assert.equal(a.isLeader, false);
    assert.deepEqual(events, ['lead', 'stop']);
    await a.stop();
  });

  // client-go cuts each renewal at the renew deadline (tools/leaderelection/leaderelection.go, `renew`);
  // a request that hangs for the client's own 30 s timeout would keep this replica leading while another,
  // seeing the lease expire after 15 s, takes over: two leaders.
  it('stops leading at the renew deadline when a renewal hangs, not when the call gives up', async () => {
    const events: string[] = [];
    const a = new LeaderElector(store, config('a'), clock, {
      onStartedLeading: () => events.push('lead'),
      onStoppedLeading: () => events.push('stop'),
      onError: () => undefined,
    });
    a.start();
    await settle();
    store.hangWrites = true;
    clock.advance(2_000); // the next renewal starts, and hangs
    await settle();
    assert.equal(a.isLeader, true);
    clock.advance(8_000); // the renew deadline: 10 s after the last renewal
    await settle();
    await settle();
    assert.equal(a.isLeader, false, 'a hung renewal must not keep a leader past its renew deadline');
    assert.deepEqual(events, ['lead', 'stop']);
    await a.stop();
  });
});

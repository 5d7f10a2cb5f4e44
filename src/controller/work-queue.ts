// A level-triggered work queue keyed by namespace/name, with client-go's workqueue semantics:
// - a key queued twice is queued once (duplicates merge);
// - a key is never handed out twice at once: one added while in flight waits until `done`, then re-runs;
// - `addAfter` schedules; for one key the earlier time wins (kube-runtime's scheduler);
// - `addRateLimited` backs off per key (base·2^failures, capped); `forget` resets it after a success.
import type { Clock, Timer } from './clock.js';

export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 5 * 60_000 };

export class WorkQueue {
  private readonly ready: string[] = [];
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly scheduled = new Map<string, { at: number; timer: Timer }>();
  private readonly failures = new Map<string, number>();
  private waiters: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(
    private readonly clock: Clock,
    private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF,
  ) {}

  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return; // re-queued by done()
    this.push(key);
  }

  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + delayMs;
    const existing = this.scheduled.get(key);
    if (existing && existing.at <= at) return;
    existing?.timer.cancel();
    const timer = this.clock.after(delayMs, () => {
      this.scheduled.delete(key);
      this.add(key);
    });
    this.scheduled.set(key, { at, timer });
  }

  /** Re-queues a key after a failure, waiting longer each time it fails in a row. Returns the delay. */
  addRateLimited(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    const delay = Math.min(this.backoff.baseMs * 2 ** n, this.backoff.maxMs);
    this.addAfter(key, delay);
    return delay;
  }

  forget(key: string): void {
    this.failures.delete(key);
  }

  failuresOf(key: string): number {
    return this.failures.get(key) ?? 0;
  }

  /** The next ready key; `undefined` once the queue shuts down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.ready.shift();
    if (key !== undefined) return Promise.resolve(this.take(key));
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key) && !this.shuttingDown) this.push(key);
  }

  /** Keys ready to run (the queue-depth metric). */
  depth(): number {
    return this.ready.length;
  }

  /** Stops handing out keys; waiting `get()` calls resolve to `undefined`. Keys in flight may finish. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const { timer } of this.scheduled.values()) timer.cancel();
    this.scheduled.clear();
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(undefined);
  }

  private push(key: string): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(this.take(key));
    else this.ready.push(key);
  }

  private take(key: string): string {
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }
}

// Leader election on a coordination.k8s.io Lease, with client-go's semantics: optimistic concurrency on the
// Lease's resourceVersion decides races, and expiry is judged by *our* clock since we last saw the record
// change (not by the holder's renewTime, so clock skew between nodes cannot steal a lease).
import type { LeaseRecord } from '../kube/objects.js';
import type { Clock, Timer } from './clock.js';

export interface LeaseStore {
  readLease(namespace: string, name: string, options?: LeaseCallOptions): Promise<LeaseRecord | undefined>;
  /** Creates (no resourceVersion) or replaces (with one; rejects on a conflict). */
  writeLease(lease: LeaseRecord, options?: LeaseCallOptions): Promise<LeaseRecord>;
}

export interface LeaseCallOptions {
  /** Ends the call when it aborts: an attempt never outlives the renew deadline. */
  signal?: AbortSignal;
}

export interface LeaderElectionConfig {
  namespace: string;
  name: string;
  identity: string;
  leaseDurationMs: number;
  /** A leader that could not renew for this long stops leading. */
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

export interface LeaderHooks {
  onStartedLeading: () => void;
  onStoppedLeading: () => void;
  onError?: (err: unknown) => void;
}

export class LeaderElector {
  private observed: LeaseRecord | undefined;
  private observedAt = 0;
  private lastRenew = 0;
  private leading = false;
  private timer: Timer | undefined;
  private stopped = false;

  constructor(
    private readonly store: LeaseStore,
    private readonly config: LeaderElectionConfig,
    private readonly clock: Clock,
    private readonly hooks: LeaderHooks,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  /**
   * Tries once to acquire or renew the lease; true when we hold it afterwards. The attempt is cut at the
   * renew deadline, as client-go's renew loop cuts its requests (leaderelection.go, `renew`: a context
   * with RenewDeadline): a call to an API server that hangs for the client's 30 s timeout would otherwise
   * keep a leader leading past its lease, while another replica takes over.
   */
  async tryAcquireOrRenew(): Promise<boolean> {
    const now = this.clock.now();
    const budget = this.leading
      ? Math.max(0, this.lastRenew + this.config.renewDeadlineMs - now)
      : this.config.renewDeadlineMs;
    const controller = new AbortController();
    const timer = this.clock.after(budget, () => {
      controller.abort(new Error(`no answer about the Lease within the renew deadline (${budget} ms)`));
    });
    try {
      return await this.acquireOrRenew(now, { signal: controller.signal });
    } finally {
      timer.cancel();
    }
  }

  private async acquireOrRenew(now: number, options: LeaseCallOptions): Promise<boolean> {
    const current = await this.store.readLease(this.config.namespace, this.config.name, options);
    this.observe(current, now);
    if (current?.holder && current.holder !== this.config.identity && !this.expired(current, now))
      return false;
    const ours = current?.holder === this.config.identity;
    const next: LeaseRecord = {
      name: this.config.name,
      namespace: this.config.namespace,
      holder: this.config.identity,
      leaseDurationSeconds: Math.ceil(this.config.leaseDurationMs / 1000),
      acquireTime: ours && current.acquireTime ? current.acquireTime : new Date(now),
      renewTime: new Date(now),
      transitions: (current?.transitions ?? 0) + (ours || !current ? 0 : 1),
      ...(current?.resourceVersion ? { resourceVersion: current.resourceVersion } : {}),
    };
    const written = await this.store.writeLease(next, options);
    this.observe(written, now);
    this.lastRenew = now;
    return true;
  }

  /** Campaigns and renews every retry period until stop(). */
  start(): void {
    this.stopped = false;
    void this.tick();
  }

  /** Stops campaigning; a leader gives the lease up so a successor need not wait for it to expire. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    if (!this.leading) return;
    this.setLeading(false);
    const observed = this.observed;
    if (observed?.holder !== this.config.identity) return;
    // client-go's ReleaseOnCancel: empty holder, a one-second duration, so others take over at once.
    await this.store.writeLease({
      ...observed,
      holder: '',
      leaseDurationSeconds: 1,
      renewTime: new Date(this.clock.now()),
    });
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    let held = false;
    try {
      held = await this.tryAcquireOrRenew();
    } catch (err) {
      this.hooks.onError?.(err);
    }
    // stop() may have run while we awaited the API server.
    if (this.isStopped()) return;
    // A leader keeps leading through failed renewals until the renew deadline passes.
    const stillLeading =
      held || (this.leading && this.clock.now() - this.lastRenew < this.config.renewDeadlineMs);
    this.setLeading(stillLeading);
    this.timer = this.clock.after(this.config.retryPeriodMs, () => void this.tick());
  }

  private isStopped(): boolean {
    return this.stopped;
  }

  private setLeading(leading: boolean): void {
    if (leading === this.leading) return;
    this.leading = leading;
    if (leading) this.hooks.onStartedLeading();
    else this.hooks.onStoppedLeading();
  }

  private observe(record: LeaseRecord | undefined, now: number): void {
    const changed =
      record?.resourceVersion !== this.observed?.resourceVersion || record?.holder !== this.observed?.holder;
    if (changed) this.observedAt = now;
    this.observed = record;
  }

  private expired(record: LeaseRecord, now: number): boolean {
    const durationMs = (record.leaseDurationSeconds ?? 0) * 1000;
    return this.observedAt + durationMs <= now;
  }
}

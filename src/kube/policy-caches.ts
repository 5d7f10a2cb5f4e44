// The caches of the policy kinds the API server happens to serve (policy-kinds.ts): one list+watch cache
// per served kind, started and stopped as discovery (discovery.ts) finds them come and go. Discovery runs
// at start and again whenever something says the served set may have changed: a CRD of a policy group was
// created, changed or deleted (the cluster's CRD watch), or a cached kind answered 404 (its CRD is gone).
// Runs never overlap; a request during a run makes one more run after it. Where none of the kinds is
// served, this costs one discovery request and holds nothing.
//
// A kind that stops being served stops its cache at once — before its failing watch could count against
// readiness — and each object it held is reported gone, so that predictions drop them. A kind that
// answered 404 while discovery still lists it (discovery lagging a CRD change, or HA apiservers that
// disagree) starts again only with the back-off: restarting it at once would loop.
//
// A discovery that fails (/apis errs, or a group version's document does: an aggregated API server down
// answers 503) leaves the policies the cluster holds unknown: until a discovery succeeds the caches are
// neither synced nor connected, with a named reason (`problem`), so readiness is false and `flowprobe run`
// stops instead of predicting as if there were no such policies.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { PolicyDiscovery } from './discovery.js';
import type { ResilientInformer } from './informer.js';
import type { WireObject } from './objects.js';
import { kindsToCache, resourceId, type PolicyKind } from './policy-kinds.js';
import { isForbidden, refusalMessage } from './policy-refusal.js';

type Cache = ResilientInformer<WireObject & KubernetesObject>;

export interface PolicyCachesDeps {
  /** Ends its requests when `signal` (start's) aborts: a server that never answers must not hold start. */
  discover: (signal?: AbortSignal) => Promise<PolicyDiscovery>;
  /** A cache for one kind; its errors must reach `cacheFailed` below. */
  makeCache: (kind: PolicyKind) => Cache;
  /** Each object of a kind whose cache stopped because the kind is no longer served. */
  onGone: (obj: WireObject) => void;
  /** A discovery failed: why, and when it is tried again (undefined: not, start's signal aborted). */
  onProblem?: (reason: string, retryInMs: number | undefined) => void;
}

const BASE_RETRY_MS = 1000;
const MAX_RETRY_MS = 60_000;

export class PolicyCaches {
  private readonly running = new Map<string, { kind: PolicyKind; cache: Cache }>();
  private inFlight: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private signal: AbortSignal | undefined;
  private retryMs = BASE_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;
  /** Kinds that answered 404: discovery listing one again starts it only on the back-off's run. */
  private readonly notFound = new Set<string>();
  /** Set by the back-off's timer: its run may start the kinds in `notFound`. */
  private backOffRun = false;
  /** Kinds whose list or watch was refused (403) at some point; refusals() keeps those not synced. */
  private readonly refused = new Map<string, PolicyKind>();
  /** Why the latest discovery failed; undefined once one succeeds. */
  private failure: string | undefined;

  constructor(private readonly deps: PolicyCachesDeps) {}

  /** Discovers and starts the caches of what is served; resolves once they have listed (or failed to). */
  start(signal?: AbortSignal): Promise<void> {
    this.stopped = false;
    this.signal = signal;
    return this.refresh();
  }

  /** Discover again (coalesced with a run in flight); resolves when the caches follow the result. */
  refresh(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    const run = async () => {
      try {
        do await this.refreshOnce();
        while (this.takeAgain());
      } finally {
        this.inFlight = undefined;
      }
    };
    this.inFlight = run();
    return this.inFlight;
  }

  /**
   * A cache's list or watch failed; true when it was handled here. A 404 means its kind is no longer
   * served (the CRD was deleted): stop that cache now and look again; anything else the cache retries.
   */
  cacheFailed(kind: PolicyKind, err: unknown): boolean {
    // Refused: the cache retries and stays unsynced (not Ready, no run), and refusals() says why.
    if (isForbidden(err)) this.refused.set(resourceId(kind), kind);
    if (!isNotFound(err)) return false;
    this.notFound.add(resourceId(kind));
    void this.stopCache(resourceId(kind)).then(() => this.refresh());
    return true;
  }

  /** The objects of every running cache, each with its apiVersion and kind. */
  list(): WireObject[] {
    return [...this.running.values()].flatMap(({ cache }) => cache.list());
  }

  /** Why a running cache cannot list, for each kind whose list the API server refused (403). */
  refusals(): string[] {
    return [...this.refused]
      .filter(([id]) => this.running.get(id)?.cache.synced === false)
      .map(([, kind]) => refusalMessage(kind));
  }

  /** The kinds cached now (for logs and tests). */
  kinds(): PolicyKind[] {
    return [...this.running.values()].map((r) => r.kind);
  }

  /** Which discovery failed and how, while the served policy kinds are unknown. */
  get problem(): string | undefined {
    return this.failure;
  }

  get synced(): boolean {
    return this.failure === undefined && [...this.running.values()].every(({ cache }) => cache.synced);
  }

  get connected(): boolean {
    return this.failure === undefined && [...this.running.values()].every(({ cache }) => cache.connected);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.inFlight;
    await Promise.all([...this.running.values()].map(({ cache }) => cache.stop()));
    this.running.clear();
  }

  /** Whether a refresh was asked for during the run that just ended (and clears the request). */
  private takeAgain(): boolean {
    const again = this.again && !this.stopped;
    this.again = false;
    return again;
  }

  private async refreshOnce(): Promise<void> {
    let found: PolicyDiscovery;
    try {
      found = await this.deps.discover(this.signal);
    } catch (err) {
      // The call counted its error already (the API-errors hook). Keep what runs, and look again later.
      this.failed(`discovery of the policy kinds failed (GET /apis): ${messageOf(err)}`);
      return;
    }
    if (this.stopped) return;
    const failed = new Set(found.failed.map((f) => f.groupVersion));
    const wanted = new Map(kindsToCache(found.served).map((k) => [resourceId(k), k]));
    // A group version that could not be read keeps its caches until it answers again.
    for (const [id, { kind }] of this.running)
      if (failed.has(`${kind.group}/${kind.version}`)) wanted.set(id, kind);
    for (const id of [...this.running.keys()]) if (!wanted.has(id)) await this.stopCache(id);
    // Discovery no longer lists a kind that answered 404: it agrees, nothing to wait for.
    for (const id of this.notFound) if (!wanted.has(id)) this.notFound.delete(id);
    const mayRetry = this.backOffRun;
    this.backOffRun = false;
    const absent = [...wanted].filter(([id]) => !this.running.has(id));
    const starting = absent.filter(([id]) => mayRetry || !this.notFound.has(id));
    await Promise.all(starting.map(([id, kind]) => this.startCache(id, kind)));
    if (found.failed.length > 0) {
      const which = found.failed.map((f) => `GET /apis/${f.groupVersion}`).join(', ');
      this.failed(`discovery of the policy kinds failed (${which}): ${messageOf(found.failed[0]?.error)}`);
      return;
    }
    this.failure = undefined;
    // A kind that answered 404 while discovery still lists it waits for the back-off's next run.
    if (starting.length < absent.length) this.retryLater();
    else if (this.notFound.size === 0) this.retryMs = BASE_RETRY_MS;
  }

  private failed(reason: string): void {
    this.failure = reason;
    this.deps.onProblem?.(reason, this.retryLater());
  }

  private async startCache(id: string, kind: PolicyKind): Promise<void> {
    const cache = this.deps.makeCache(kind);
    this.running.set(id, { kind, cache });
    await cache.start(this.signal);
    // It listed: the 404 is over, and the back-off may start from its base again.
    if (cache.synced) this.notFound.delete(id);
  }

  private async stopCache(id: string): Promise<void> {
    const entry = this.running.get(id);
    if (!entry) return;
    this.running.delete(id);
    const held = entry.cache.list();
    await entry.cache.stop();
    for (const obj of held) this.deps.onGone(obj);
  }

  /** Schedules another discovery; the delay, or undefined when none follows. */
  private retryLater(): number | undefined {
    if (this.stopped || this.signal?.aborted) return undefined;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.backOffRun = true;
      void this.refresh();
    }, delay);
    this.retryTimer.unref();
    return delay;
  }
}

/** A 404 from a list (KubeApiError) or from a watch (client-node's Watch error carries `statusCode`). */
function isNotFound(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  return code === 404 || statusCode === 404;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

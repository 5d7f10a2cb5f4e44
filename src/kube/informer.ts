// A list+watch cache that keeps itself alive. client-node's ListWatch relists on 410 Gone by itself, but
// any other error (a failed list, a 500, a dropped connection it cannot resume) stops it for good
// (stack.md); here such a stop is followed by a restart after a growing delay. `synced` turns true once a
// list has landed in the cache — all of its pages (paged-list.ts) — which is what readiness waits for. Its
// watches ask for bookmarks and live 5-10 minutes, as client-go's (cache-watch.ts), so an idle cache neither
// relists nor reconnects often.
import {
  ListWatch,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { CacheWatch } from './cache-watch.js';
import { listInPages, type ListPage } from './paged-list.js';

export type ChangeType = 'add' | 'update' | 'delete';

export interface InformerHooks<T> {
  onChange: (type: ChangeType, obj: T) => void;
  /** `retryInMs` is undefined when no restart follows (the start signal has aborted). */
  onError?: (err: unknown, retryInMs: number | undefined) => void;
  /** What the cache keeps of each listed or watched object (trim.ts); default all of it. */
  trim?: (obj: T) => T;
  /** Objects per list page (paged-list.ts); default client-go's 500. */
  pageSize?: number;
  /** The watch's Accept header (cache-watch.ts); default JSON. */
  watchAccept?: string;
}

const BASE_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

export class ResilientInformer<T extends KubernetesObject> {
  private readonly lw: ListWatch<T>;
  private readonly watch: CacheWatch<T>;
  private lists = 0;
  /** The signal of start(): it ends the lists (and the restarts' lists) when it aborts. */
  private signal: AbortSignal | undefined;
  private everSynced = false;
  /** Failures reported so far, and whether the latest attempt ended in one (readiness). */
  private failures = 0;
  private failing = false;
  private stopping = false;
  private retryMs = BASE_RETRY_MS;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    kc: KubeConfig,
    path: string,
    /** One page of the list; `query` carries `limit` and `continue`. */
    listPage: (query: Record<string, string>, signal?: AbortSignal) => Promise<ListPage<T>>,
    private readonly hooks: InformerHooks<T>,
  ) {
    const trim = hooks.trim ?? ((obj: T) => obj);
    const listMarking = async (): Promise<KubernetesListObject<T>> => {
      const { resourceVersion, items } = await listInPages(
        (query) => listPage(query, this.signal),
        trim,
        hooks.pageSize,
      );
      this.lists++;
      return { metadata: { resourceVersion }, items };
    };
    this.watch = new CacheWatch<T>(kc, trim, hooks.watchAccept);
    this.lw = new ListWatch<T>(path, this.watch, listMarking, false);
    this.lw.on('add', (obj) => {
      hooks.onChange('add', obj);
    });
    this.lw.on('update', (obj) => {
      hooks.onChange('update', obj);
    });
    this.lw.on('delete', (obj) => {
      hooks.onChange('delete', obj);
    });
    this.lw.on('error', (err: unknown) => {
      this.restartLater(err);
    });
  }

  /**
   * Starts listing and watching; resolves once the first attempt has run (synced or not), or as soon as
   * `signal` aborts: a list in flight is then ended, and a watch still connecting is closed once it opens.
   */
  async start(signal?: AbortSignal): Promise<void> {
    this.stopping = false;
    this.signal = signal;
    this.watch.resume();
    if (!signal) return this.attempt();
    if (signal.aborted) return;
    let onAbort = () => {};
    const aborted = new Promise<void>((resolve) => {
      onAbort = resolve;
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      await Promise.race([this.attempt(), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  get synced(): boolean {
    return this.everSynced;
  }

  /** Synced, and the last list or watch attempt did not fail: the cache is being kept current. */
  get connected(): boolean {
    return this.everSynced && !this.failing;
  }

  list(namespace?: string): readonly T[] {
    return this.lw.list(namespace);
  }

  get(name: string, namespace?: string): T | undefined {
    return this.lw.get(name, namespace);
  }

  async stop(): Promise<void> {
    // stop() makes the aborted watch report an error; the flag keeps that from scheduling a restart.
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.watch.stop();
    await this.lw.stop();
  }

  private async attempt(): Promise<void> {
    const before = this.lists;
    const failuresBefore = this.failures;
    await this.lw.start();
    // An attempt that reported no failure has its watch open again (ListWatch reports a failed list or
    // watch through the error hook before start() resolves).
    if (this.failures === failuresBefore) this.failing = false;
    // start() resolves after the list was applied to the cache and the watch opened (or after a failure
    // was reported through the error hook).
    if (this.lists > before) {
      this.everSynced = true;
      this.retryMs = BASE_RETRY_MS;
    }
  }

  private restartLater(err: unknown): void {
    if (this.stopping) return;
    this.failures++;
    this.failing = true;
    // After the start signal aborted every list would fail at once: report the error, and stay down.
    if (this.signal?.aborted) {
      this.hooks.onError?.(err, undefined);
      return;
    }
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.hooks.onError?.(err, delay);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopping) void this.attempt();
    }, delay);
    this.retryTimer.unref();
  }
}

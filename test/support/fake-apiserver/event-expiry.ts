/**
 * Events expire. kube-apiserver stores each Event under an etcd lease of `--event-ttl` (default 1 h;
 * pkg/registry/core/event/storage/storage.go `TTLFunc`, kubernetes/kubernetes#124836), renewed by every
 * write of that Event (the generic store asks TTLFunc on update too). When the lease runs out etcd deletes
 * the key: watchers see DELETED, and a later patch of the Event — an event recorder continuing its series —
 * gets 404 NotFound. client-go's recorders create the Event anew then
 * (staging/src/k8s.io/client-go/tools/events/event_broadcaster.go, `recordEvent`).
 *
 * Here every Event gets a deadline `ttlMs` after its last write, on the server's clock (`now`); one unref'd
 * timer deletes whatever is past its deadline. `expireAll` ends them at once, for tests that cannot wait
 * an hour.
 */
import type { Store, StoreEvent } from './store.js';

/** Where both Event APIs keep their objects (resources.ts). */
const EVENTS_KEY = '/events';

export const DEFAULT_EVENT_TTL_SECONDS = 3600;

export interface EventExpiryOptions {
  ttlMs: number;
  now: () => number;
}

export class EventExpiry {
  /** "namespace/name" → when the Event's lease runs out (ms on the server's clock). */
  private readonly deadlines = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Infinity;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly store: Store,
    private readonly options: EventExpiryOptions,
  ) {
    this.unsubscribe = store.subscribe((event) => {
      this.observe(event);
    });
  }

  /** Deletes every Event (in `namespace`, or everywhere) now, as if its TTL had passed; returns their keys. */
  expireAll(namespace?: string): string[] {
    const keys = [...this.deadlines.keys()].filter(
      (k) => namespace === undefined || k.startsWith(`${namespace}/`),
    );
    for (const key of keys) this.remove(key);
    return keys;
  }

  stop(): void {
    this.unsubscribe();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private observe(event: StoreEvent): void {
    if (event.key !== EVENTS_KEY) return;
    const key = `${event.object.metadata.namespace ?? ''}/${event.object.metadata.name ?? ''}`;
    if (event.type === 'DELETED') {
      this.deadlines.delete(key);
      return;
    }
    const deadline = this.options.now() + this.options.ttlMs;
    this.deadlines.set(key, deadline);
    if (deadline < this.timerAt) this.arm(deadline);
  }

  private sweep(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = this.options.now();
    for (const [key, deadline] of [...this.deadlines]) if (deadline <= now) this.remove(key);
    const next = Math.min(...this.deadlines.values());
    if (next !== Infinity) this.arm(next);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(
      () => {
        this.sweep();
      },
      Math.max(0, at - this.options.now()),
    );
    this.timer.unref();
  }

  private remove(key: string): void {
    const slash = key.indexOf('/');
    // The store's DELETED event (to watchers, and to observe() above) drops the deadline.
    if (!this.store.remove(EVENTS_KEY, key.slice(0, slash), key.slice(slash + 1))) this.deadlines.delete(key);
  }
}

/**
 * The fake's etcd: objects by resource and namespace/name, one global resourceVersion counter that every
 * write advances (kube-apiserver takes it from etcd's revision, shared by all resources), and an event
 * history that watches and exact-resourceVersion lists read until it is compacted.
 */
import { deepCopy, type KubeObject } from './types.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  key: string;
  rv: number;
  object: KubeObject;
  /** The object before this event (MODIFIED, DELETED). */
  prev?: KubeObject;
}

export type StoreListener = (event: StoreEvent) => void;

/** Result of reading history older than the last compaction. */
export interface Compacted {
  compacted: true;
  /** The oldest resourceVersion still readable. */
  oldest: number;
}

function objectKey(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** etcd orders keys bytewise (not by locale); list order and continue tokens rely on it. */
export function byKey(a: KubeObject, b: KubeObject): number {
  const [x, y] = [objectKey(a), objectKey(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export class Store {
  /** Starts above 0 so that "0" (any version) and real versions never collide. */
  private rv = 100;
  private compactedThrough = 100;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();
  /** sortedView's cache, per resource; a write of that resource drops it. */
  private readonly sorted = new Map<string, Readonly<KubeObject>[]>();

  currentRv(): number {
    return this.rv;
  }

  get(key: string, namespace: string, name: string): KubeObject | undefined {
    const obj = this.objects.get(key)?.get(`${namespace}/${name}`);
    return obj ? deepCopy(obj) : undefined;
  }

  /** Objects of one resource, all namespaces when `namespace` is undefined, sorted like etcd keys. */
  list(key: string, namespace?: string): KubeObject[] {
    const all = [...(this.objects.get(key)?.values() ?? [])];
    const inNs = namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
    return inNs.sort(byKey).map(deepCopy);
  }

  /** Stores `obj` under a new resourceVersion and notifies watchers; returns the stored copy. */
  put(key: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    const bucket = this.bucket(key);
    const prev = bucket.get(objectKey(obj));
    const stored = deepCopy(obj);
    stored.metadata.resourceVersion = String(++this.rv);
    bucket.set(objectKey(stored), stored);
    this.record({ type, key, rv: this.rv, object: stored, ...(prev ? { prev } : {}) });
    return deepCopy(stored);
  }

  /** Removes an object; the DELETED event carries a new resourceVersion, as kube-apiserver's does. */
  remove(key: string, namespace: string, name: string): KubeObject | undefined {
    const bucket = this.bucket(key);
    const prev = bucket.get(`${namespace}/${name}`);
    if (!prev) return undefined;
    bucket.delete(`${namespace}/${name}`);
    const gone = deepCopy(prev);
    gone.metadata.resourceVersion = String(++this.rv);
    this.record({ type: 'DELETED', key, rv: this.rv, object: gone, prev });
    return deepCopy(gone);
  }

  /** Events of `key` after `rv`, or Compacted when some of them were already compacted away. */
  eventsSince(key: string, rv: number): StoreEvent[] | Compacted {
    if (rv < this.compactedThrough) return { compacted: true, oldest: this.compactedThrough + 1 };
    return this.history.filter((e) => e.key === key && e.rv > rv).map(deepCopy);
  }

  /** The objects of `key` as they were at `rv` (for resourceVersionMatch=Exact). */
  listAt(key: string, rv: number): KubeObject[] | Compacted {
    const later = this.eventsSince(key, rv);
    if ('compacted' in later) return later;
    const state = new Map(this.list(key).map((o) => [objectKey(o), o]));
    for (const event of later.reverse()) {
      if (event.type === 'ADDED') state.delete(objectKey(event.object));
      else if (event.prev) state.set(objectKey(event.prev), deepCopy(event.prev));
    }
    return [...state.values()].sort(byKey);
  }

  /**
   * The stored objects of one resource sorted like etcd keys: the objects themselves, not copies (callers
   * must not modify them). The sorted order is kept until the next write of that resource, so that paging
   * through a large list does not copy or sort it again for every page.
   */
  sortedView(key: string): readonly Readonly<KubeObject>[] {
    let sorted = this.sorted.get(key);
    if (!sorted) {
      sorted = [...(this.objects.get(key)?.values() ?? [])].sort(byKey);
      this.sorted.set(key, sorted);
    }
    return sorted;
  }

  /** `listAt` without copies (the same caveat as `sortedView`): the current view when nothing changed since. */
  viewAt(key: string, rv: number): readonly Readonly<KubeObject>[] | Compacted {
    if (rv < this.compactedThrough) return { compacted: true, oldest: this.compactedThrough + 1 };
    const later = this.history.filter((e) => e.key === key && e.rv > rv);
    if (later.length === 0) return this.sortedView(key);
    const state = new Map(this.sortedView(key).map((o) => [objectKey(o), o]));
    for (const event of later.reverse()) {
      if (event.type === 'ADDED') state.delete(objectKey(event.object));
      else if (event.prev) state.set(objectKey(event.prev), event.prev);
    }
    return [...state.values()].sort(byKey);
  }

  /** Forgets history up to `throughRv` (default: everything so far), like etcd compaction. */
  compact(throughRv = this.rv): void {
    this.compactedThrough = Math.max(this.compactedThrough, Math.min(throughRv, this.rv));
    this.history = this.history.filter((e) => e.rv > this.compactedThrough);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every stored object of every resource (for the garbage collector). */
  *entries(): Generator<[string, KubeObject]> {
    for (const [key, bucket] of this.objects) {
      for (const obj of bucket.values()) yield [key, deepCopy(obj)];
    }
  }

  /**
   * The stored objects themselves, not copies: for readers that run after every write (the garbage
   * collector's sweep), where copying the whole store each time made the fake's cost grow with its size.
   * Callers must not modify what they get; copy an object before changing it.
   */
  *view(): Generator<[string, Readonly<KubeObject>]> {
    for (const [key, bucket] of this.objects) {
      for (const obj of bucket.values()) yield [key, obj];
    }
  }

  private bucket(key: string): Map<string, KubeObject> {
    let bucket = this.objects.get(key);
    if (!bucket) {
      bucket = new Map();
      this.objects.set(key, bucket);
    }
    return bucket;
  }

  private record(event: StoreEvent): void {
    this.sorted.delete(event.key);
    this.history.push(event);
    for (const listener of [...this.listeners]) listener(deepCopy(event));
  }
}

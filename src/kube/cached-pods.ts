// The pod cache as the prediction snapshot and the planner read it: one namespace at a time, and which
// namespaces changed since a reader last looked. The Predictor (src/run/predict.ts) keeps its snapshot and
// re-reads only those namespaces, so one pod changing in a 100k-pod cluster costs the pods of one
// namespace, not every pod. Probe pods come and go with every run and are no workload: their changes are
// not counted (a pod relabelled between the two kinds is).
//
// The log keeps one entry per namespace changed, and clusters create namespaces without end (one per CI
// run, per preview environment). So once it has doubled since it was last compacted, a reader's look drops
// the entries that reader has seen, as etcd compacts its history: a reader that saw less (another
// Predictor) is told by `compactedThrough`, and reads every pod again, as a watcher relists after a 410.
import { isCompactPod, type CachedPod } from './compact-pod.js';
import type { ChangeType } from './informer.js';
import { Interner } from './interner.js';
import type { PodObject } from './objects.js';
import { cachedPod } from './trim.js';

/** What a pod cache hands out; ListWatch keeps insertion order per namespace, so reads are repeatable. */
export interface PodLister {
  list(namespace?: string): readonly CachedPod[];
}

export interface PodSource {
  /** Every cached pod, namespace by namespace. */
  all(): readonly CachedPod[];
  podsIn(namespace: string): readonly CachedPod[];
  /** Grows with every change to a pod that is not a probe pod. */
  readonly version: number;
  /** The namespaces whose pods changed after `version` (a value this source gave). */
  changedSince(version: number): string[];
  /** changedSince(v) may miss changes for v below this: such a reader must read every pod again. */
  readonly compactedThrough: number;
}

/** The change log is compacted when it holds this many namespaces, or twice as many as after the last. */
const MIN_COMPACT_AT = 1024;

export class CachedPods implements PodSource {
  private changes = 0;
  /** Namespace → the version of its latest change, oldest first (each change moves it to the end). */
  private readonly changedAt = new Map<string, number>();
  /** The probe pods seen, by namespace/name: an update that turns one into a workload pod must count. */
  private readonly probePods = new Set<string>();
  private compacted = 0;
  private compactAt = MIN_COMPACT_AT;

  constructor(private readonly cache: PodLister) {}

  all(): readonly CachedPod[] {
    return this.cache.list();
  }

  podsIn(namespace: string): readonly CachedPod[] {
    return this.cache.list(namespace);
  }

  get version(): number {
    return this.changes;
  }

  get compactedThrough(): number {
    return this.compacted;
  }

  /** How many namespaces the change log holds (tests: it stays bounded). */
  get namespacesTracked(): number {
    return this.changedAt.size;
  }

  changedSince(version: number): string[] {
    const compact = this.changedAt.size >= this.compactAt;
    const out: string[] = [];
    for (const [namespace, at] of this.changedAt) {
      if (at > version) out.push(namespace);
      else if (compact) {
        this.changedAt.delete(namespace);
        this.compacted = Math.max(this.compacted, at);
      }
    }
    if (compact) this.compactAt = Math.max(MIN_COMPACT_AT, this.changedAt.size * 2);
    return out;
  }

  /** Called for every change the cache reports, after the cache applied it. */
  record(type: ChangeType, pod: CachedPod): void {
    const namespace = pod.metadata.namespace ?? '';
    const key = `${namespace}/${pod.metadata.name}`;
    if (isCompactPod(pod)) {
      this.probePods.delete(key);
    } else {
      // An update that shows a probe pod not seen as one before: until now it was a workload pod.
      const wasWorkload = type === 'update' && !this.probePods.has(key);
      if (type === 'delete') this.probePods.delete(key);
      else this.probePods.add(key);
      if (!wasWorkload) return;
    }
    this.changes += 1;
    this.changedAt.delete(namespace);
    this.changedAt.set(namespace, this.changes);
  }
}

/**
 * A fixed list of pods as a pod source, kept as the cache would keep them (wire pods are compacted): for
 * `flowprobe run`-style one-offs and tests. A new source is a new cluster to a Predictor.
 */
export function podSourceOf(pods: readonly (CachedPod | PodObject)[]): PodSource {
  const interner = new Interner();
  const kept = pods.map((p) => (isCompactPod(p) ? p : cachedPod(p, interner)));
  return {
    all: () => kept,
    podsIn: (namespace) => kept.filter((p) => (p.metadata.namespace ?? '') === namespace),
    version: 0,
    changedSince: () => [],
    compactedThrough: 0,
  };
}

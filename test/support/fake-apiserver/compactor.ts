/**
 * kube-apiserver's etcd compactor (apiserver pkg/storage/etcd3/compact.go, `runCompactLoop`): every
 * interval (`--etcd-compaction-interval`, 5 minutes by default: storagebackend `DefaultCompactInterval`) it
 * compacts history up to the revision it noted at the previous tick, so the store keeps at least the last
 * interval's changes and a resourceVersion older than that answers 410 Expired. The first tick only notes a
 * revision, as upstream's first compaction is to revision 0.
 */
import type { Store } from './store.js';

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60_000;

export class Compactor {
  private readonly timer: NodeJS.Timeout | undefined;
  private noted: number | undefined;

  /** `intervalMs` 0 never compacts (history is then only compacted by hand). */
  constructor(store: Store, intervalMs: number) {
    if (intervalMs <= 0) return;
    this.timer = setInterval(() => {
      if (this.noted !== undefined) store.compact(this.noted);
      this.noted = store.currentRv();
    }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}

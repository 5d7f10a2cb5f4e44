// Waits for probe pods to finish, fed by pod change events (an informer or a watch). It keeps the latest
// state of every probe pod it has seen, because a pod's first events can arrive before the caller that
// created it starts waiting.
import { isCompactPod, type CachedPod } from '../kube/compact-pod.js';
import type { PodObject } from '../kube/objects.js';
import { isProbePod } from '../plan/labels.js';
import { podProgress, type PodProgress } from './pod-progress.js';
import { abortReason } from '../utils/abort-reason.js';

export type WaitResult =
  | { kind: 'finished'; pod: PodObject; progress: Extract<PodProgress, { state: 'done' | 'stuck' }> }
  | { kind: 'deleted' }
  | { kind: 'timeout'; last?: PodObject }
  /** Still not running when its start deadline passed (unschedulable, quota, a slow image pull). */
  | { kind: 'not-started'; last?: PodObject; afterMs: number }
  /** The signal given to wait() aborted first (a run's deadline, Ctrl-C). */
  | { kind: 'aborted'; reason: string };

export interface WaitOptions {
  /** Give up sooner when the pod has not started running by then, so a pod that will never run does not
   * hold its probe slot for the whole probe budget. */
  startWithinMs?: number;
  /** Stop waiting at once when this aborts. */
  signal?: AbortSignal;
}

interface Waiter {
  resolve: (result: WaitResult) => void;
  timers: NodeJS.Timeout[];
}

export class PodWaiter {
  private readonly latest = new Map<string, PodObject>();
  private readonly waiters = new Map<string, Waiter>();

  /** An added or updated pod. Only flowprobe's own pods are remembered (the cache keeps them whole). */
  observe(pod: CachedPod): void {
    if (isCompactPod(pod) || !isProbePod(pod.metadata.labels)) return;
    const key = keyOf(pod.metadata.namespace ?? '', pod.metadata.name);
    this.latest.set(key, pod);
    const progress = podProgress(pod);
    if (progress.state === 'done' || progress.state === 'stuck')
      this.settle(key, { kind: 'finished', pod, progress });
  }

  /** A deleted pod: whoever waits for it learns that it is gone. */
  forget(namespace: string, name: string): void {
    const key = keyOf(namespace, name);
    this.latest.delete(key);
    this.settle(key, { kind: 'deleted' });
  }

  /**
   * Resolves when the pod finishes, is deleted, `timeoutMs` passes, it has not started within
   * `startWithinMs`, or `signal` aborts, whichever is first.
   */
  wait(namespace: string, name: string, timeoutMs: number, options: WaitOptions = {}): Promise<WaitResult> {
    const { startWithinMs, signal } = options;
    const key = keyOf(namespace, name);
    const seen = this.latest.get(key);
    const progress = seen && podProgress(seen);
    if (seen && (progress?.state === 'done' || progress?.state === 'stuck')) {
      return Promise.resolve({ kind: 'finished', pod: seen, progress });
    }
    if (signal?.aborted) return Promise.resolve(aborted(signal));
    return new Promise((resolve) => {
      const onAbort = () => {
        if (signal) this.settle(key, aborted(signal));
      };
      const done = (result: WaitResult) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const timers = [
        setTimeout(() => {
          const last = this.latest.get(key);
          this.settle(key, last ? { kind: 'timeout', last } : { kind: 'timeout' });
        }, timeoutMs),
      ];
      if (startWithinMs !== undefined && startWithinMs < timeoutMs) {
        timers.push(
          setTimeout(() => {
            const last = this.latest.get(key);
            if (last && podProgress(last).state !== 'pending') return;
            this.settle(key, { kind: 'not-started', afterMs: startWithinMs, ...(last ? { last } : {}) });
          }, startWithinMs),
        );
      }
      for (const t of timers) t.unref();
      this.waiters.get(key)?.resolve({ kind: 'timeout' });
      this.waiters.set(key, { resolve: done, timers });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Pods seen and not yet deleted: the probe-pods-alive metric. */
  get alive(): number {
    return this.latest.size;
  }

  private settle(key: string, result: WaitResult): void {
    const waiter = this.waiters.get(key);
    if (!waiter) return;
    for (const t of waiter.timers) clearTimeout(t);
    this.waiters.delete(key);
    waiter.resolve(result);
  }
}

function aborted(signal: AbortSignal): WaitResult {
  return { kind: 'aborted', reason: abortReason(signal) };
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

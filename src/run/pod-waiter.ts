// Waits for probe pods to finish, fed by pod change events (an informer or a watch). It keeps the latest
// state of every probe pod it has seen, because a pod's first events can arrive before the caller that
// created it starts waiting.
import type { PodObject } from '../kube/objects.js';
import { isProbePod } from '../plan/labels.js';
import { podProgress, type PodProgress } from './pod-progress.js';

export type WaitResult =
  | { kind: 'finished'; pod: PodObject; progress: Extract<PodProgress, { state: 'done' | 'stuck' }> }
  | { kind: 'deleted' }
  | { kind: 'timeout'; last?: PodObject }
  /** Still not running when its start deadline passed (unschedulable, quota, a slow image pull). */
  | { kind: 'not-started'; last?: PodObject; afterMs: number };

interface Waiter {
  resolve: (result: WaitResult) => void;
  timers: NodeJS.Timeout[];
}

export class PodWaiter {
  private readonly latest = new Map<string, PodObject>();
  private readonly waiters = new Map<string, Waiter>();

  /** An added or updated pod. Only flowprobe's own pods are remembered. */
  observe(pod: PodObject): void {
    if (!isProbePod(pod.metadata.labels)) return;
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
   * Waits for the pod to finish, at most `timeoutMs`; and when `startWithinMs` is given, gives up sooner if
   * the pod has not started running by then, so that a pod that will never run does not hold its probe
   * slot for the whole probe budget.
   */
  wait(namespace: string, name: string, timeoutMs: number, startWithinMs?: number): Promise<WaitResult> {
    const key = keyOf(namespace, name);
    const seen = this.latest.get(key);
    const progress = seen && podProgress(seen);
    if (seen && (progress?.state === 'done' || progress?.state === 'stuck')) {
      return Promise.resolve({ kind: 'finished', pod: seen, progress });
    }
    return new Promise((resolve) => {
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
      this.waiters.set(key, { resolve, timers });
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

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

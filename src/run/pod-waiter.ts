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
  /** The signal given to wait() aborted first (a run's deadline, Ctrl-C). */
  | { kind: 'aborted'; reason: string };

interface Waiter {
  resolve: (result: WaitResult) => void;
  timer: NodeJS.Timeout;
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

  /** Resolves when the pod finishes, is deleted, `timeoutMs` passes or `signal` aborts, whichever is first. */
  wait(namespace: string, name: string, timeoutMs: number, signal?: AbortSignal): Promise<WaitResult> {
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
      const timer = setTimeout(() => {
        this.waiters.delete(key);
        const last = this.latest.get(key);
        done(last ? { kind: 'timeout', last } : { kind: 'timeout' });
      }, timeoutMs);
      timer.unref();
      this.waiters.get(key)?.resolve({ kind: 'timeout' });
      this.waiters.set(key, { resolve: done, timer });
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
    clearTimeout(waiter.timer);
    this.waiters.delete(key);
    waiter.resolve(result);
  }
}

function aborted(signal: AbortSignal): WaitResult {
  const reason: unknown = signal.reason;
  return { kind: 'aborted', reason: reason instanceof Error ? reason.message : String(reason) };
}

function keyOf(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

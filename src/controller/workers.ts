// Workers that drain a WorkQueue: a reconciler returns when it next wants to run (never sleeps);
// errors back off per key, success resets the backoff.
import { isRetryable } from './reconcile-error.js';
import type { WorkQueue } from './work-queue.js';

export interface ReconcileResult {
  /** Run again after this long (the test's interval); absent: wait for a change. */
  requeueAfterMs?: number;
}

export type Reconciler = (key: string) => Promise<ReconcileResult>;

export interface WorkerHooks {
  /** A reconcile failed; `retryInMs` is undefined when it will not be retried until the object changes. */
  onError?: (key: string, err: unknown, retryInMs: number | undefined) => void;
  /** Every reconcile, for the duration metric. */
  onReconciled?: (key: string, durationMs: number, ok: boolean) => void;
  now?: () => number;
}

/** Runs `concurrency` workers until the queue shuts down and each has finished its key. */
export async function runWorkers(
  queue: WorkQueue,
  reconcile: Reconciler,
  concurrency: number,
  hooks: WorkerHooks = {},
): Promise<void> {
  const workers = Array.from({ length: concurrency }, () => worker(queue, reconcile, hooks));
  await Promise.all(workers);
}

async function worker(queue: WorkQueue, reconcile: Reconciler, hooks: WorkerHooks): Promise<void> {
  const now = hooks.now ?? Date.now;
  for (let key = await queue.get(); key !== undefined; key = await queue.get()) {
    const started = now();
    try {
      const result = await reconcile(key);
      queue.forget(key);
      if (result.requeueAfterMs !== undefined) queue.addAfter(key, result.requeueAfterMs);
      hooks.onReconciled?.(key, now() - started, true);
    } catch (err) {
      hooks.onReconciled?.(key, now() - started, false);
      handleFailure(queue, key, err, hooks);
    } finally {
      queue.done(key);
    }
  }
}

function handleFailure(queue: WorkQueue, key: string, err: unknown, hooks: WorkerHooks): void {
  if (!isRetryable(err)) {
    queue.forget(key);
    hooks.onError?.(key, err, undefined);
    return;
  }
  const delay = queue.addRateLimited(key);
  hooks.onError?.(key, err, delay);
}

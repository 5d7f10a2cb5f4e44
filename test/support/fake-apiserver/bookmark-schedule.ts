/**
 * When a watch gets its next BOOKMARK, as kube-apiserver's watch cache decides it (apiserver
 * pkg/storage/cacher/cache_watcher.go, `nextBookmarkTime`): a bookmark period after now (a minute by
 * default, cacher.go `defaultBookmarkFrequency`), but no later than 2 s before the watch's deadline
 * (`timeoutSeconds`), so that a client reopening at the deadline resumes from a fresh resourceVersion; none
 * once that moment has passed. Pure: times are milliseconds since the watch started.
 */

/** kube-apiserver's bookmark period (cacher.go `defaultBookmarkFrequency`). */
export const DEFAULT_BOOKMARK_PERIOD_MS = 60_000;

/** How long before its deadline a watch gets its last bookmark (cache_watcher.go: "2s before the deadline"). */
const BEFORE_DEADLINE_MS = 2_000;

/** Milliseconds from `elapsedMs` to the next bookmark, or undefined when the watch gets no more. */
export function nextBookmarkDelay(
  elapsedMs: number,
  periodMs: number,
  timeoutMs: number | undefined,
): number | undefined {
  let at = elapsedMs + periodMs;
  if (timeoutMs !== undefined) at = Math.min(at, timeoutMs - BEFORE_DEADLINE_MS);
  return at > elapsedMs ? at - elapsedMs : undefined;
}

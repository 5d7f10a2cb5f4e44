// How long the operator's watches live, as client-go's reflector schedules them (pure). kube-apiserver
// sends a BOOKMARK about once a minute to a watch that asks for them (apiserver cacher.go
// `defaultBookmarkFrequency`) and ends a watch at its `timeoutSeconds`; client-go asks for bookmarks and a
// random timeout between 5 and 10 minutes (tools/cache/reflector.go `minWatchTimeout`), then reopens the
// watch from the last resourceVersion it saw. A quiet watch then costs one request every 5-10 minutes, and
// the resourceVersion it resumes from is never older than a minute, so history compaction (every 5
// minutes) cannot expire it into a relist.

/** client-go's `defaultMinWatchTimeout`; the timeout asked for is random in [min, 2 × min). */
export const MIN_WATCH_TIMEOUT_SECONDS = 300;

/**
 * client-node's Watch aborts a stream that has been silent this long, and its ListWatch then reconnects
 * from the last resourceVersion. Its default, 30 s, is shorter than the bookmark period, so every quiet
 * watch was cut twice a minute. 2.5 bookmark periods let one bookmark go missing without a reconnect, and
 * stay below undici's body timeout (300 s), whose error would not be resumed like a timeout: ListWatch
 * would report it and the informer restart after a back-off.
 */
export const WATCH_INACTIVITY_TIMEOUT_MS = 150_000;

/** The `timeoutSeconds` of one watch request: whole seconds, random in [300, 600). */
export function watchTimeoutSeconds(random: () => number = Math.random): number {
  const min = MIN_WATCH_TIMEOUT_SECONDS;
  return Math.min(2 * min - 1, Math.floor(min + random() * min));
}

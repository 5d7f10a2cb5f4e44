// Histogram buckets, in seconds (https://prometheus.io/docs/practices/naming/#base-units).

/**
 * A probe answers in milliseconds when it connects or is refused, and after about its timeout (2–3 s by
 * default, overridable) when it is blocked; a settling probe repeats attempts, so a few tens of seconds is
 * the long tail. The buckets separate "answered" from "timed out" and show the tail without many series.
 */
export const PROBE_DURATION_BUCKETS: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A reconcile reads caches and writes a status: milliseconds when healthy, seconds when the API is slow. */
export const RECONCILE_DURATION_BUCKETS: readonly number[] = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

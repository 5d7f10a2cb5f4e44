// When the operator recomputes policy coverage: whenever what predictions read changes (a test, a policy, a
// Service, a namespace, a workload pod), never at scrape time, and at most once per MIN_GAP_MS however fast
// changes come — a rollout changes many pods in a second, and one recompute after it says the same as one per
// pod. The gap counts from the end of a recompute and grows with its duration (SLOW_FACTOR × how long the
// last one took, at most MAX_GAP_MS): a recompute of 10k flows takes seconds, and recomputing back to back
// through a rollout would starve reconciles, /healthz and the lease renewal on the one event loop. The
// computation itself (Predictor.coverage) reuses the compiled policies and re-reads only the
// namespaces whose pods changed.
import type { Clock, Timer } from './clock.js';

export const COVERAGE_MIN_GAP_MS = 2_000;
/** The gap after a recompute is at least this many times as long as the recompute took… */
export const COVERAGE_SLOW_FACTOR = 5;
/** …but never longer than this (coverage stays at most about a minute behind). */
export const COVERAGE_MAX_GAP_MS = 60_000;

export class CoverageUpdater {
  private timer: Timer | undefined;
  /** When the last recompute ended. */
  private last = Number.NEGATIVE_INFINITY;
  /** The gap the last recompute's duration asks for. */
  private gap: number;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    /** Computes and publishes coverage; an error is reported and the next change tries again. */
    private readonly update: () => void,
    private readonly onError: (err: unknown) => void,
    private readonly minGapMs = COVERAGE_MIN_GAP_MS,
  ) {
    this.gap = minGapMs;
  }

  /** Something coverage reads changed: recompute soon (once for any number of changes until then). */
  due(): void {
    if (this.stopped || this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.gap - this.clock.now());
    this.timer = this.clock.after(wait, () => {
      this.timer = undefined;
      if (this.stopped) return;
      const started = this.clock.now();
      try {
        this.update();
      } catch (err) {
        this.onError(err);
      } finally {
        this.last = this.clock.now();
        const slow = COVERAGE_SLOW_FACTOR * (this.last - started);
        this.gap = Math.max(this.minGapMs, Math.min(slow, COVERAGE_MAX_GAP_MS));
      }
    });
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }
}

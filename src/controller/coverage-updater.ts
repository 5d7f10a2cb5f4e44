// When the operator recomputes policy coverage: whenever what predictions read changes (a test, a policy, a
// Service, a namespace, a workload pod), never at scrape time, and at most once per MIN_GAP_MS however fast
// changes come — a rollout changes many pods in a second, and one recompute after it says the same as one per
// pod. The computation itself (Predictor.coverage) reuses the compiled policies and re-reads only the
// namespaces whose pods changed.
import type { Clock, Timer } from './clock.js';

export const COVERAGE_MIN_GAP_MS = 2_000;

export class CoverageUpdater {
  private timer: Timer | undefined;
  private last = Number.NEGATIVE_INFINITY;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    /** Computes and publishes coverage; an error is reported and the next change tries again. */
    private readonly update: () => void,
    private readonly onError: (err: unknown) => void,
    private readonly minGapMs = COVERAGE_MIN_GAP_MS,
  ) {}

  /** Something coverage reads changed: recompute soon (once for any number of changes until then). */
  due(): void {
    if (this.stopped || this.timer !== undefined) return;
    const wait = Math.max(0, this.last + this.minGapMs - this.clock.now());
    this.timer = this.clock.after(wait, () => {
      this.timer = undefined;
      if (this.stopped) return;
      this.last = this.clock.now();
      try {
        this.update();
      } catch (err) {
        this.onError(err);
      }
    });
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
  }
}

// `flowprobe run --timeout` bounds the whole command, from the process's start to its exit. The probing
// gets the time up to the deadline less a share kept for clean-up; clean-up (deleting probe pods and
// owner Deployments) gets that share and stops at the deadline, best-effort; a last timer ends the process
// at the deadline, whatever still holds it. Ctrl-C (or SIGTERM) stops the probing at once and leaves
// clean-up its share from then on; a second one stops clean-up too.

/** Clean-up's share of the time: a quarter of --timeout, at most 10 s (deletes take milliseconds). */
export const CLEANUP_SHARE_MAX_MS = 10_000;
/** Kept back from the deadline for the last message and closing connections. */
export const EXIT_MARGIN_MS = 250;

export function cleanupShareMs(timeoutMs: number): number {
  return Math.min(CLEANUP_SHARE_MAX_MS, Math.floor(timeoutMs / 4));
}

/** Why a run stopped early: the reason of its signals, and the message the user reads. */
export class RunStoppedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunStoppedError';
  }
}

export interface RunDeadlineOptions {
  timeoutMs: number;
  /** --timeout as the user wrote it, for messages. */
  label: string;
  /** Time already spent since the process started (performance.now()): it counts against the timeout. */
  elapsedMs: number;
  /** The deadline passed and the process is still here: the caller ends it. */
  onExpired: () => void;
}

export class RunDeadline {
  /** When the run is over for sure, clean-up included: what reapers read (run-expiry.ts). */
  readonly expiresAt: Date;
  private readonly work = new AbortController();
  private readonly clean = new AbortController();
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly shareMs: number;

  constructor(private readonly options: RunDeadlineOptions) {
    const left = options.timeoutMs - options.elapsedMs;
    this.shareMs = cleanupShareMs(options.timeoutMs);
    this.expiresAt = new Date(Date.now() + left);
    const timedOut = () => new RunStoppedError(`timed out after ${options.label}`);
    this.after(left - this.shareMs, () => {
      this.work.abort(timedOut());
    });
    // The margin never eats the whole share (a tiny --timeout): clean-up always starts before it stops.
    this.after(left - Math.min(EXIT_MARGIN_MS, this.shareMs / 2), () => {
      this.clean.abort(timedOut());
    });
    // Not cleared by dispose() and not holding the process: it fires only if something still does.
    setTimeout(options.onExpired, Math.max(0, left)).unref();
  }

  /** Aborts when the probing must stop: at the deadline less clean-up's share, or on interrupt(). */
  get workSignal(): AbortSignal {
    return this.work.signal;
  }

  /** Aborts when clean-up must stop: just before the deadline, or its share after an interrupt. */
  get cleanupSignal(): AbortSignal {
    return this.clean.signal;
  }

  /** SIGINT or SIGTERM. */
  interrupt(signalName: string): void {
    if (this.work.signal.aborted) {
      this.clean.abort(new RunStoppedError(`interrupted twice (${signalName}): clean-up skipped`));
      setTimeout(this.options.onExpired, EXIT_MARGIN_MS).unref();
      return;
    }
    this.work.abort(new RunStoppedError(`interrupted (${signalName})`));
    this.after(this.shareMs, () => {
      this.clean.abort(new RunStoppedError(`clean-up took over ${this.shareMs / 1000}s`));
    });
    setTimeout(this.options.onExpired, this.shareMs + EXIT_MARGIN_MS).unref();
  }

  /** Clears the timers that would abort the signals (the process's last timer stays). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private after(ms: number, fn: () => void): void {
    if (ms <= 0) fn();
    else this.timers.push(setTimeout(fn, ms));
  }
}

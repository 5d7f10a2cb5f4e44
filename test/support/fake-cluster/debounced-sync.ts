// A resync that follows bursts of changes, as a controller's work queue would: `changed()` asks for one
// soon (once per burst), `sync()` runs one now, and runs never overlap. The FAKE CNI and the FAKE
// kube-proxy both recompute their whole ruleset this way. A failed run is kept in `errors` (tests assert
// it stays empty) and does not stop later runs.

export class DebouncedSync {
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly delayMs: number,
    private readonly errors: Error[],
  ) {}

  /** Something changed: run once, soon, for the whole burst. */
  changed(): void {
    if (this.stopped || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sync().catch(() => undefined);
    }, this.delayMs);
    this.timer.unref();
  }

  /** Runs now, after any run in progress. */
  sync(): Promise<void> {
    const next = this.queue.then(() => this.run());
    this.queue = next.catch((err: unknown) => {
      this.errors.push(err instanceof Error ? err : new Error(String(err)));
    });
    return next;
  }

  /** No more runs are asked for; resolves once the one in progress has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    await this.queue;
  }
}

// Cleans up on process exit and on SIGINT/SIGTERM, where no asynchronous code runs any more: a test run
// that is interrupted must not leave namespaces, veths, nft tables or dnsmasq behind.

export class ExitGuard {
  private readonly onExit = (): void => {
    this.fire();
  };
  // Ctrl-C skips 'exit' handlers: clean up, then let the signal do what it would have done.
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.fire();
    process.kill(process.pid, signal);
  };
  private fired = false;

  /** `signals: false` when the caller handles SIGINT/SIGTERM itself (an orderly asynchronous stop). */
  constructor(
    private readonly cleanupSync: () => void,
    signals = true,
  ) {
    process.once('exit', this.onExit);
    if (signals) {
      process.once('SIGINT', this.onSignal);
      process.once('SIGTERM', this.onSignal);
    }
  }

  /** Runs the cleanup once and removes the handlers. */
  fire(): void {
    this.release();
    if (this.fired) return;
    this.fired = true;
    this.cleanupSync();
  }

  /** Removes the handlers without cleaning up (after an orderly asynchronous stop). */
  release(): void {
    process.removeListener('exit', this.onExit);
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }
}

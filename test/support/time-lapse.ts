/**
 * FAKE time for tests of slow periodic behaviour: while a time lapse runs, every `setTimeout` and
 * `setInterval` of this process (the product's, client-node's Watch, undici's, the fake API server's) fires
 * `speedup` times sooner, so ten minutes of a watch's life pass in a few seconds with the real periods of
 * client and server. Only those two globals change: `Date`, `performance` and `node:timers/promises` keep
 * real time, and mocha keeps its own timers (it captures them when it loads, lib/runnable.js), so test
 * timeouts stay real. Real I/O is not sped up: one real millisecond is `speedup` lapsed ones.
 */
import { strict as assert } from 'node:assert';

type SetTimer = typeof globalThis.setTimeout;

export class TimeLapse {
  private readonly realSetTimeout = globalThis.setTimeout;
  private readonly realSetInterval = globalThis.setInterval;

  private constructor(readonly speedup: number) {}

  static start(speedup: number): TimeLapse {
    assert.ok(speedup >= 1, 'a time lapse only speeds time up');
    const lapse = new TimeLapse(speedup);
    lapse.install();
    return lapse;
  }

  /** Resolves after `lapsedMs` of lapsed time. */
  sleep(lapsedMs: number): Promise<void> {
    return new Promise((resolve) => this.realSetTimeout(resolve, lapsedMs / this.speedup));
  }

  stop(): void {
    globalThis.setTimeout = this.realSetTimeout;
    globalThis.setInterval = this.realSetInterval;
  }

  private install(): void {
    globalThis.setTimeout = this.scaled(this.realSetTimeout);
    globalThis.setInterval = this.scaled(this.realSetInterval as unknown as SetTimer);
  }

  private scaled(real: SetTimer): SetTimer {
    const speedup = this.speedup;
    const lapsed = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
      real(callback, (ms ?? 0) / speedup, ...args);
    return lapsed as unknown as SetTimer;
  }
}

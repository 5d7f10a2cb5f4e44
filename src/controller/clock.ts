// Time as the controller sees it: injectable, so tests drive the work queue with a fake clock.

export interface Timer {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Calls `fn` after `ms`; the timer never keeps the process alive on its own. */
  after(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  after(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return {
      cancel: () => {
        clearTimeout(t);
      },
    };
  },
};

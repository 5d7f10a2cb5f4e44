// A fake clock for the controller's timers: time moves only when a test calls advance().
import type { Clock, Timer } from '../../src/controller/clock.js';

export class FakeClock implements Clock {
  private time = 0;
  private timers: { at: number; fn: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  after(ms: number, fn: () => void): Timer {
    const entry = { at: this.time + ms, fn, cancelled: false };
    this.timers.push(entry);
    return { cancel: () => (entry.cancelled = true) };
  }

  /**
   * Moves time forward, firing due timers in time order. A timer may itself advance the clock (work that
   * takes time); time never goes back.
   */
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      due.cancelled = true;
      due.fn();
    }
    this.time = Math.max(this.time, until);
    this.timers = this.timers.filter((t) => !t.cancelled);
  }

  pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }
}

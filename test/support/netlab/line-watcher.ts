// Waits for lines a child process prints (`ready`, `accept 8090`): an observable event, not a sleep.
import type { Readable } from 'node:stream';

export class LineWatcher {
  private readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();

  constructor(stream: Readable) {
    let buffer = '';
    stream.on('data', (d: Buffer) => {
      buffer += d.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of this.waiters) wake();
    });
  }

  /** Resolves once a line (printed before or after the call) matches; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = this.lines.find((l) => pattern.test(l));
        if (hit === undefined) return false;
        this.waiters.delete(wake);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const wake = (): void => void check();
      const timer = setTimeout(() => {
        this.waiters.delete(wake);
        reject(
          new Error(`no line matching ${pattern} within ${timeoutMs} ms; saw: ${this.lines.join(' / ')}`),
        );
      }, timeoutMs);
      this.waiters.add(wake);
      check();
    });
  }
}

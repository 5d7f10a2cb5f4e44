// The lines a child process prints, kept so the kubelet can wait for a readiness line (`ready`,
// dnsmasq's `started`) and the resolver for its N-th `read ... names` line: observable events, no sleeps.
import type { Readable } from 'node:stream';

export class LineLog {
  private readonly lines: string[] = [];
  private readonly waiters = new Set<() => void>();
  private buffer = '';
  private ended = false;

  constructor(streams: readonly Readable[]) {
    for (const stream of streams) {
      stream.on('data', (d: Buffer) => {
        this.buffer += d.toString();
        const parts = this.buffer.split('\n');
        this.buffer = parts.pop() ?? '';
        // Keep only a bounded tail: a workload prints a line per connection.
        this.lines.push(...parts);
        if (this.lines.length > 500) this.lines.splice(0, this.lines.length - 500);
        this.wake();
      });
    }
  }

  markEnded(): void {
    this.ended = true;
    this.wake();
  }

  count(pattern: RegExp): number {
    return this.lines.filter((l) => pattern.test(l)).length;
  }

  /** Resolves once `count(pattern)` reaches `n`; rejects when the process ends first or after the timeout. */
  waitForCount(pattern: RegExp, n: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const finish = (err?: Error): void => {
        this.waiters.delete(check);
        clearTimeout(timer);
        if (err === undefined) resolve();
        else reject(err);
      };
      const check = (): void => {
        if (this.count(pattern) >= n) finish();
        else if (this.ended) finish(new Error(`exited before printing ${pattern}: ${this.tail()}`));
      };
      const timer = setTimeout(() => {
        finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms: ${this.tail()}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  private tail(): string {
    return this.lines.slice(-5).join(' / ') || '(no output)';
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

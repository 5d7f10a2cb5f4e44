// Starts the scale benchmark's FAKE cluster (scale-server.ts) as a child process and talks to it over IPC,
// one request at a time. Its heap is sized for the generated cluster: the FAKE keeps ~20 KB of heap per
// realistic pod and copies a list while it serves it.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ScaleSize } from './scale-args.js';
import type { ScaleReply, ScaleRequest } from './scale-server-protocol.js';

const ENTRY = fileURLToPath(new URL('./scale-server.ts', import.meta.url));
/** Generous for 150,000 pods; the heap grows only as far as it is used. */
const SERVER_HEAP_MB = 16_384;
const REPLY_TIMEOUT_MS = 30 * 60_000;

type ReadyReply = Extract<ScaleReply, { type: 'ready' }>;

export class ScaleServerChild {
  private waiting: ((reply: ScaleReply) => void) | undefined;
  private readonly stderr: string[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly ready: ReadyReply,
  ) {}

  static async start(size: ScaleSize): Promise<ScaleServerChild> {
    const child = fork(ENTRY, [], {
      execArgv: [`--max-old-space-size=${SERVER_HEAP_MB}`, '--import', 'tsx'],
      env: { ...process.env, NODE_OPTIONS: '', FLOWPROBE_BENCH_SCALE_SIZE: JSON.stringify(size) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const stderr: string[] = [];
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    const first = await new Promise<ScaleReply>((resolve, reject) => {
      child.once('message', (m: ScaleReply) => {
        resolve(m);
      });
      child.once('exit', (code, signal) => {
        reject(new Error(`FAKE cluster child exited (${code ?? signal}) while starting: ${stderr.join('')}`));
      });
    });
    if (first.type !== 'ready') throw new Error(`FAKE cluster child: ${JSON.stringify(first).slice(0, 500)}`);
    const server = new ScaleServerChild(child, first);
    server.stderr.push(...stderr);
    child.on('message', (m: ScaleReply) => {
      const waiting = server.waiting;
      server.waiting = undefined;
      waiting?.(m);
    });
    return server;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  async request<T extends ScaleReply['type']>(
    message: ScaleRequest,
    expect: T,
  ): Promise<Extract<ScaleReply, { type: T }>> {
    if (this.waiting) throw new Error('one request to the FAKE cluster child at a time');
    const reply = await new Promise<ScaleReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`FAKE cluster child did not answer ${message.type}`));
      }, REPLY_TIMEOUT_MS);
      timer.unref();
      this.waiting = (m) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.child.send(message);
    });
    if (reply.type !== expect) throw new Error(`FAKE cluster child: ${JSON.stringify(reply).slice(0, 2000)}`);
    return reply as Extract<ScaleReply, { type: T }>;
  }

  /** Stops it (its servers, then the process); kills it if it does not go within 30 s. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => {
      this.child.once('exit', () => {
        resolve();
      });
    });
    this.child.send({ type: 'stop' } satisfies ScaleRequest);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

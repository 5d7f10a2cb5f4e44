// `flowprobe operator` as a child process, so that its CPU and memory can be read from /proc without the
// FAKE cluster (which runs in the benchmark's own process) in the figures. Started as a user starts it
// from a kubeconfig, through the CLI: the image's bundle with the Deployment's environment
// (shipped-operator.ts), or the sources under tsx (`npm run flowprobe` does the same).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const READY_TIMEOUT_MS = 60_000;
/** The operator drains runs in flight for up to 30 s on SIGTERM (src/controller/operator.ts). */
const STOP_TIMEOUT_MS = 40_000;

export interface OperatorChildOptions {
  kubeconfig: string;
  maxConcurrentRuns: number;
  workers: number;
  /** The file to run (the image's bundle); without it, the sources under tsx. */
  entry?: string | undefined;
  /** Environment to add, as the Deployment sets it (NODE_OPTIONS, ...). */
  env?: Readonly<Record<string, string>>;
  /** Node flags before the entry (a preload). */
  nodeArgs?: readonly string[];
  /** Run leader election, as the Deployment does; default off (one operator, nothing to elect). */
  leaderElect?: boolean;
  /**
   * Start this program instead (the image's ENTRYPOINT and the Deployment's args: shipped-launch.ts);
   * the benchmark's flags (kubeconfig, metrics address, ...) are appended, a `--metrics-addr` in `args`
   * is replaced. `prefix` runs first and execs the rest (entering a cgroup).
   */
  launch?: { command: string; args: readonly string[]; cwd: string; prefix?: readonly string[] };
  /** How long /readyz may take; default 60 s. */
  readyTimeoutMs?: number;
}

/** The operator never said ready: it exited (with how), or the time ran out. */
export class OperatorNotReadyError extends Error {
  constructor(
    message: string,
    readonly exit: { code: number | null; signal: string | null } | undefined,
    readonly stderr: readonly string[],
  ) {
    super(message);
    this.name = 'OperatorNotReadyError';
  }
}

export class OperatorChild {
  /** stderr lines (JSON logs at level error, or a crash): printed by the caller, never hidden. */
  readonly stderr: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly metricsUrl: string,
  ) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        resolve(code);
      }),
    );
    let partial = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      this.stderr.push(...lines.filter((l) => l.trim() !== ''));
    });
  }

  /** Spawns the operator and waits until /readyz says its caches are synced. */
  static async start(options: OperatorChildOptions): Promise<OperatorChild> {
    const port = await freePort();
    // FLOWPROBE_BENCH_OPERATOR_NODE_ARGS adds node flags (a profile: `--heap-prof --heap-prof-dir=/tmp/hp`).
    const extra = (process.env.FLOWPROBE_BENCH_OPERATOR_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
    const ours = [
      ...['--kubeconfig', options.kubeconfig, ...(options.leaderElect ? [] : ['--no-leader-elect'])],
      ...['--metrics-addr', `127.0.0.1:${port}`, '--log-level', 'error'],
      ...['--max-concurrent-runs', String(options.maxConcurrentRuns), '--workers', String(options.workers)],
    ];
    const launch = options.launch ?? {
      command: process.execPath,
      args: [
        ...extra,
        ...(options.nodeArgs ?? []),
        ...(options.entry ? [options.entry, 'operator'] : ['--import', 'tsx', 'src/cli/main.ts', 'operator']),
      ],
      cwd: REPO,
    };
    const shippedArgs = launch.args.filter((a) => !a.startsWith('--metrics-addr'));
    const [command, ...prefixArgs]: string[] = [...(launch.prefix ?? []), launch.command];
    // NODE_OPTIONS is the Deployment's or none: never one this process inherited (tsx, mocha).
    const env = { ...process.env, NODE_OPTIONS: '', ...options.env };
    const child = spawn(command ?? launch.command, [...prefixArgs, ...shippedArgs, ...ours], {
      cwd: launch.cwd,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const op = new OperatorChild(child, `http://127.0.0.1:${port}`);
    try {
      await op.waitReady(options.readyTimeoutMs ?? READY_TIMEOUT_MS);
    } catch (err) {
      await op.stop();
      throw err;
    }
    return op;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('operator child has no pid');
    return this.child.pid;
  }

  /** The Prometheus exposition, for the operator's own counters. */
  async scrape(): Promise<string> {
    const res = await fetch(`${this.metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    return res.text();
  }

  /** SIGTERM, then SIGKILL if it has not exited in time. Returns how it ended, for the report. */
  async stop(): Promise<string> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return 'already exited';
    this.child.kill('SIGTERM');
    const timer = new Promise<'timeout'>((resolve) =>
      setTimeout(() => {
        resolve('timeout');
      }, STOP_TIMEOUT_MS).unref(),
    );
    const code = await Promise.race([this.exited, timer]);
    if (code !== 'timeout') return `exit ${code ?? this.child.signalCode ?? '?'}`;
    this.child.kill('SIGKILL');
    await this.exited;
    return `did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM: killed`;
  }

  /** How the process ended, or undefined while it runs. */
  get exit(): { code: number | null; signal: string | null } | undefined {
    const { exitCode: code, signalCode: signal } = this.child;
    return code === null && signal === null ? undefined : { code, signal };
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const exit = this.exit;
      if (exit)
        throw new OperatorNotReadyError(
          `operator exited (code ${exit.code ?? '-'}, signal ${exit.signal ?? '-'}) before it was ready`,
          exit,
          this.stderr,
        );
      const ok = await fetch(`${this.metricsUrl}/readyz`, { signal: AbortSignal.timeout(2000) })
        .then((r) => r.ok)
        .catch(() => false);
      if (ok) return;
      if (Date.now() > deadline)
        throw new OperatorNotReadyError(
          `operator not ready in ${timeoutMs / 1000} s`,
          undefined,
          this.stderr,
        );
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** A port the system just handed out (a small race with other processes, acceptable for a benchmark). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => {
        resolve(port);
      });
    });
  });
}

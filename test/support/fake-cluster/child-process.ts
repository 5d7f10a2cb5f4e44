// A container's process: spawned directly (never through a host shell) in its own process group, so a
// kill takes everything it started (the probe script's background jobs) along.
import { spawn } from 'node:child_process';
import { LineLog } from './line-log.js';
import type { ContainerProcess, LogSink } from './pod-runtime.js';

export interface SpawnedContainer extends ContainerProcess {
  readonly pid: number;
  readonly lines: LineLog;
}

export function spawnContainer(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  log: LogSink,
): SpawnedContainer {
  const [file = '', ...args] = argv;
  const child = spawn(file, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = new LineLog([child.stdout, child.stderr]);
  child.stdout.on('data', (d: Buffer) => {
    log(d.toString());
  });
  child.stderr.on('data', (d: Buffer) => {
    log(d.toString());
  });
  const exited = new Promise<number>((resolve) => {
    child.on('error', (err) => {
      log(`FAKE kubelet: cannot start ${file}: ${err.message}\n`);
      resolve(128);
    });
    child.on('close', (code, signal) => {
      lines.markEnded();
      resolve(code ?? (signal === 'SIGKILL' ? 137 : signal === 'SIGTERM' ? 143 : 128));
    });
  });
  const kill = (): void => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  };
  return { pid: child.pid ?? -1, lines, exited, kill };
}

// Runs the probe script here exactly as a probe pod would: busybox's own `sh -c SCRIPT ...`, with a
// PATH of nothing but a directory of applet links to that busybox, so nc/wget/nslookup/timeout are
// busybox's and never the host's. This module does I/O; everything it decides is in the pure files.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { formatTarget } from './args.js';
import { probeCommand } from './command.js';
import { SCRIPT_APPLETS } from './script.js';
import { LocalRunError } from './local-run-error.js';
import { parseProbeLog } from './parse-log.js';
import { worstCaseMs, type SettleOptions } from './settle.js';
import type { ProbeResult, ProbeSpec } from './types.js';

export interface LocalRunOptions {
  /** Absolute path of a busybox built like the official image's (see `locateBusybox`). */
  busybox: string;
  settle: SettleOptions;
  /** Labels for the results, one per spec; default: the formatted targets. */
  targets?: readonly string[];
  /**
   * Runs the shell through another command, e.g. `['/usr/sbin/ip', 'netns', 'exec', NAME]` to probe from
   * a network namespace. Give an absolute path: PATH holds only the applet directory.
   */
  prefix?: readonly string[];
}

export interface LocalRun {
  results: ProbeResult[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** The busybox to use: an explicit path, else the environment's choice, else `busybox` on PATH. */
export function locateBusybox(explicit: string | undefined, fromEnv: string | undefined, path = ''): string {
  const chosen = explicit ?? fromEnv;
  if (chosen !== undefined && chosen !== '') {
    if (!isExecutable(chosen)) throw new LocalRunError(`busybox '${chosen}' is not an executable file`);
    return resolve(chosen);
  }
  const found = path.split(delimiter).find((dir) => dir !== '' && isExecutable(join(dir, 'busybox')));
  if (found === undefined) {
    throw new LocalRunError(
      'no busybox: pass --busybox PATH or set FLOWPROBE_BUSYBOX (scripts/build-busybox.sh)',
    );
  }
  return resolve(found, 'busybox');
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Runs every probe in one script invocation. Throws InvalidTargetError, or LocalRunError. */
export async function runProbesLocally(
  specs: readonly ProbeSpec[],
  opts: LocalRunOptions,
): Promise<LocalRun> {
  const command = probeCommand(specs, opts.settle);
  const timeout = Math.max(0, ...specs.map((s) => s.timeoutSeconds));
  const bin = mkdtempSync(join(tmpdir(), 'flowprobe-applets-'));
  try {
    await linkApplets(opts.busybox, bin);
    const [, ...args] = command;
    const argv = [...(opts.prefix ?? []), join(bin, 'sh'), ...args];
    const env = { PATH: bin };
    const run = await spawnCollect(argv, env, worstCaseMs(opts.settle, timeout, specs.length) + 5000);
    return { ...run, results: parseProbeLog(run.stdout, opts.targets ?? specs.map(formatTarget)) };
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}

/**
 * One link per applet the script uses, named like the applet, as in the image's /bin. Only those: PATH
 * holds nothing else, so a command the script forgot to list fails loudly instead of running the host's.
 */
export async function linkApplets(busybox: string, dir: string): Promise<void> {
  if (!isAbsolute(busybox)) throw new LocalRunError(`busybox path '${busybox}' must be absolute`);
  const list = await spawnCollect([busybox, '--list'], {}, 10_000);
  const applets = new Set(list.stdout.split('\n'));
  for (const applet of SCRIPT_APPLETS) {
    if (!applets.has(applet)) throw new LocalRunError(`busybox '${busybox}' has no '${applet}' applet`);
  }
  // Debian's busybox package is configured down: its nc lacks -z (and its wget crashes).
  const nc = await spawnCollect([busybox, 'nc', '--help'], {}, 10_000);
  if (!`${nc.stdout}${nc.stderr}`.includes('-z')) {
    throw new LocalRunError(
      `busybox '${busybox}': nc has no -z; use a busybox built like the official image (scripts/build-busybox.sh)`,
    );
  }
  for (const applet of SCRIPT_APPLETS) symlinkSync(busybox, join(dir, applet));
}

interface Collected {
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

/** Spawns, collects output, kills the whole process group once the deadline passes. */
function spawnCollect(argv: string[], env: NodeJS.ProcessEnv, deadlineMs: number): Promise<Collected> {
  return new Promise((done, fail) => {
    const [file = '', ...args] = argv;
    const child = spawn(file, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\nflowprobe: killed after ${deadlineMs} ms`;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone: nothing to stop.
      }
    }, deadlineMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      fail(new LocalRunError(`cannot run ${file}: ${err.message}`, { cause: err }));
    });
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      done({ stdout, stderr, exitCode });
    });
  });
}

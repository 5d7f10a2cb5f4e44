// What `flowprobe probe TARGET...` does once its flags are parsed (probe.ts declares them): runs the probe
// script here, the same code path a probe pod runs (DESIGN.md, "Modes"), for debugging and for the
// real-network tests.
//
// `-o json` prints an array, one object per target in the order given: target (as given), outcome,
// detail, httpStatus (HTTP responses only), durationMs, settled, message, and attempts — every attempt
// the probe made, each {atMs, durationMs, step, exitCode, address, httpStatus?, message, outcome, detail}
// (its length is the number of attempts).
import { InvalidTargetError } from '../probe/invalid-target-error.js';
import { LocalRunError } from '../probe/local-run-error.js';
import { MAX_TIMEOUT_SECONDS, parseTarget } from '../probe/args.js';
import { MAX_ATTEMPTS_LIMIT, settleOptions } from '../probe/settle.js';
import { locateBusybox, runProbesLocally } from '../probe/run-local.js';
import type { ProbeResult } from '../probe/types.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';

export interface ProbeFlags {
  timeout: string;
  attempts: string;
  busybox?: string;
  output: string;
}

export async function probeCommandAction(targets: string[], flags: ProbeFlags): Promise<number> {
  try {
    const timeout = wholeNumber(flags.timeout, 1, MAX_TIMEOUT_SECONDS, '--timeout');
    const attempts = wholeNumber(flags.attempts, 1, MAX_ATTEMPTS_LIMIT, '--attempts');
    if (!['json', 'table'].includes(flags.output)) throw new UsageError(`-o must be json or table`);
    const specs = targets.map((t) => parseTarget(t, timeout));
    const busybox = locateBusybox(flags.busybox, process.env.FLOWPROBE_BUSYBOX, process.env.PATH);
    const settle = settleOptions(timeout, attempts);
    const run = await runProbesLocally(specs, { busybox, settle, targets });
    if (run.stderr.trim() !== '')
      process.stderr.write(run.stderr.endsWith('\n') ? run.stderr : `${run.stderr}\n`);
    process.stdout.write(
      flags.output === 'json' ? `${JSON.stringify(run.results, null, 2)}\n` : table(run.results),
    );
    return EXIT_OK;
  } catch (err) {
    if (err instanceof InvalidTargetError || err instanceof UsageError || err instanceof LocalRunError) {
      process.stderr.write(`flowprobe probe: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function wholeNumber(text: string, min: number, max: number, flag: string): number {
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= min && n <= max))
    throw new UsageError(`${flag} must be a whole number ${min}-${max}, got '${text}'`);
  return n;
}

function table(results: ProbeResult[]): string {
  const rows = results.map((r) => [
    r.target,
    r.outcome + (r.httpStatus === undefined ? '' : ` ${r.httpStatus}`),
    r.detail,
    r.settled ? 'yes' : 'NO',
    `${r.attempts.length}`,
    `${r.durationMs} ms`,
    r.message.length > 60 ? `${r.message.slice(0, 57)}...` : r.message,
  ]);
  const header = ['TARGET', 'OUTCOME', 'DETAIL', 'SETTLED', 'ATTEMPTS', 'DURATION', 'MESSAGE'];
  const all = [header, ...rows];
  const widths = header.map((_, c) => Math.max(...all.map((row) => (row[c] ?? '').length)));
  return (
    all
      .map((row) =>
        row
          .map((cell, c) => cell.padEnd(widths[c] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

// `flowprobe probe TARGET...`: runs the probe script here, the same code path a probe pod runs
// (DESIGN.md, "Modes"), for debugging and for the real-network tests.
//
// `-o json` prints an array, one object per target in the order given: target (as given), outcome,
// detail, httpStatus (HTTP responses only), durationMs, settled, message, and attempts — every attempt
// the probe made, each {atMs, durationMs, step, exitCode, address, httpStatus?, message, outcome, detail}
// (its length is the number of attempts).
import type { Command } from 'commander';
import { InvalidTargetError } from '../probe/invalid-target-error.js';
import { LocalRunError } from '../probe/local-run-error.js';
import { MAX_TIMEOUT_SECONDS, parseTarget } from '../probe/args.js';
import { DEFAULT_MAX_ATTEMPTS, MAX_ATTEMPTS_LIMIT, settleOptions } from '../probe/settle.js';
import { locateBusybox, runProbesLocally } from '../probe/run-local.js';
import type { ProbeResult } from '../probe/types.js';
import { EXIT_OK, EXIT_USAGE } from './exit-codes.js';

interface ProbeFlags {
  timeout: string;
  attempts: string;
  busybox?: string;
  output: string;
}

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('Probe targets from here with the probe pod script (needs a busybox built like the image)')
    .argument('<target...>', 'tcp://HOST:PORT, udp://HOST:PORT or http://HOST[:PORT][/PATH]')
    .option('--timeout <seconds>', `per-step timeout, 1-${MAX_TIMEOUT_SECONDS}`, '2')
    .option(
      '--attempts <n>',
      `most attempts per probe while settling, 1-${MAX_ATTEMPTS_LIMIT} (1: no settling)`,
      String(DEFAULT_MAX_ATTEMPTS),
    )
    .option('--busybox <path>', 'busybox binary (default: $FLOWPROBE_BUSYBOX, then busybox on PATH)')
    .option('-o, --output <format>', 'json or table', 'json')
    .addHelpText(
      'after',
      '\nExit status: 0 when every probe ran, whatever it found; 2 on bad arguments or no usable busybox.\n' +
        'UDP: an open port and a dropping policy look the same (Connected, udp-no-rejection).',
    )
    .action(async (targets: string[], flags: ProbeFlags) => {
      process.exitCode = await probeCommandAction(targets, flags);
    });
}

async function probeCommandAction(targets: string[], flags: ProbeFlags): Promise<number> {
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

// `flowprobe probe TARGET...`: its flags and help. What it does is in probe-action.ts, loaded only when the
// command runs.
import type { Command } from 'commander';
import { MAX_TIMEOUT_SECONDS } from '../probe/args.js';
import { DEFAULT_MAX_ATTEMPTS, MAX_ATTEMPTS_LIMIT } from '../probe/settle.js';
import type { ProbeFlags } from './probe-action.js';

export function registerProbe(program: Command): void {
  program
    .command('probe')
    .description('Probe targets from here with the probe pod script (needs a busybox built like the image)')
    .argument(
      '<target...>',
      'tcp://HOST:PORT, udp://HOST:PORT, http://HOST[:PORT][/PATH], dns://SERVER[:PORT]/NAME or dns+tcp://SERVER[:PORT]/NAME',
    )
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
        'UDP: an open port and a dropping policy look the same (Connected, udp-no-rejection).\n' +
        'DNS (dns://, dns+tcp://, port 53 by default): asks SERVER for the A record of NAME; any answer is\n' +
        'Connected with its rcode (answer NOERROR 10.96.0.10, answer NXDOMAIN), silence is Blocked.',
    )
    .action(async (targets: string[], flags: ProbeFlags) => {
      const { probeCommandAction } = await import('./probe-action.js');
      process.exitCode = await probeCommandAction(targets, flags);
    });
}

// `flowprobe run -f FILE|DIR...`: its flags and help. What it does is in run-action.ts, loaded only when the
// command runs.
import type { Command } from 'commander';
import { DEFAULT_PROBE_IMAGE } from '../config/operator-config.js';
import type { RunFlags } from './run-action.js';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('Probe every ConnectivityTest in the files once against the current cluster (CI mode).')
    .requiredOption('-f, --filename <path...>', 'manifest files or directories (- for stdin)')
    .option('--junit <file>', 'write a JUnit XML report')
    .option('--report <file>', 'write a self-contained HTML report (also when flows fail)')
    .option('-o, --output <format>', 'table or json', 'table')
    .option('--timeout <duration>', 'exit (cleaned up) within this long, e.g. 10m', '10m')
    .option('--kubeconfig <file>', 'kubeconfig (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context')
    .option('--probe-image <image>', 'busybox image of the probe pods', DEFAULT_PROBE_IMAGE)
    .option('--concurrency <n>', 'probe pods in flight at once', '4')
    .action(async (flags: RunFlags) => {
      const { run } = await import('./run-action.js');
      process.exitCode = await run(flags);
    });
}

// `flowprobe explain -f FILE|DIR... [-o table|json|html]`: its flags and help. What it does is in explain-action.ts,
// loaded only when the command runs, so that `--help` and the other commands do not pay for its imports.
import type { Command } from 'commander';
import type { ExplainOptions } from './explain-action.js';

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description(
      'Predict each ConnectivityTest flow from the NetworkPolicies in manifests, and say why (no cluster needed)',
    )
    .requiredOption('-f, --filename <path...>', 'manifest files or directories (recursive); - reads stdin')
    .option('-o, --output <format>', 'table, json or html (a self-contained page)', 'table')
    .option('--coverage', 'also report the policy rules, isolations and workloads the flows exercise')
    .addHelpText(
      'after',
      '\nReads Namespaces, Pods, workloads (Deployments, StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs),\n' +
        'Services, NetworkPolicies and ConnectivityTests; other kinds are ignored.\n' +
        'Exit codes: 0 no expectation contradicts the policies (Unknown predictions are shown with ? and do\n' +
        'not fail); 1 at least one contradicts; 2 a file could not be read, an object is invalid, no\n' +
        'ConnectivityTest was found, or one is declared twice. --coverage never changes the exit code.',
    )
    .action(async (opts: ExplainOptions) => {
      const { runExplain } = await import('./explain-action.js');
      process.exitCode = await runExplain(opts);
    });
}

// `flowprobe diff --base PATH... --head PATH... [-o table|json|markdown]`: its flags and help. What it does is
// in diff-action.ts, loaded only when the command runs.
import type { Command } from 'commander';
import type { DiffOptions } from './diff-action.js';

export function registerDiff(program: Command): void {
  program
    .command('diff')
    .description(
      'Preview a policy change: which declared flows it breaks or fixes, and which undeclared paths it opens or closes (no cluster needed)',
    )
    .requiredOption('--base <path...>', 'the manifests before the change: files or directories (recursive)')
    .requiredOption('--head <path...>', 'the manifests after the change: files or directories (recursive)')
    .option(
      '-o, --output <format>',
      'table, json, markdown (a pull-request comment) or html (a self-contained page)',
      'table',
    )
    .option('--max-undeclared <n>', 'undeclared paths listed per kind (opened, closed, uncertain)', '50')
    .addHelpText(
      'after',
      "\nBoth sides are read as `flowprobe explain -f` reads them; the head's ConnectivityTests are the\n" +
        'declared intent, and a test only the base has is listed as Absent after.\n' +
        'Exit codes: 0 no declared flow breaks; 1 at least one breaks (it agreed with its expectation before\n' +
        'and contradicts it after; a change to or from Unknown is listed, never a break); 2 a file could not be\n' +
        'read, an object is invalid, neither side has a ConnectivityTest, or one is declared twice.',
    )
    .action(async (opts: DiffOptions) => {
      const { runDiff } = await import('./diff-action.js');
      process.exitCode = await runDiff(opts);
    });
}

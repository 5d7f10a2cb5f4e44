// `flowprobe validate -f FILE|DIR...`: its flags and help. What it does is in validate-action.ts, loaded only
// when the command runs (the JSON-schema validator is not free to load).
import type { Command } from 'commander';
import type { ValidateOptions } from './validate-action.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .description('Check ConnectivityTests against the CRD schema and its cross-field rules, before apply.')
    .requiredOption(
      '-f, --filename <paths...>',
      'files or directories (recursive: *.yaml, *.yml, *.json); - reads stdin',
    )
    .addHelpText(
      'after',
      '\nOnly ConnectivityTests are checked; objects of other kinds in the files are ignored.\n' +
        'Exit codes: 0 every ConnectivityTest is valid; 1 problems found (printed as\n' +
        '"file: namespace/name: spec.flows[2].to.port: must be 1..65535"); 2 a file could not be read\n' +
        'or parsed, no file was given, no ConnectivityTest was found, or one is declared twice.',
    )
    .action(async (options: ValidateOptions) => {
      const { validateCommand } = await import('./validate-action.js');
      process.exitCode = await validateCommand(options.filename);
    });
}

// The flowprobe command line: one file per command under src/cli/, wired together here. main.ts loads this
// module only once it knows the Node.js version can run it.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE } from './exit-codes.js';
import { registerExplain } from './explain.js';
import { registerDiff } from './diff.js';
import { registerOperator } from './operator.js';
import { registerProbe } from './probe.js';
import { registerRun } from './run.js';
import { registerValidate } from './validate.js';

const program = new Command()
  .name('flowprobe')
  .description('Prove that Kubernetes NetworkPolicies do what their owners declared.')
  .version('0.1.0')
  .showHelpAfterError()
  // Commander exits 1 on a usage error; our commands reserve 1 for "a flow contradicts", so usage is 2.
  .exitOverride((err: CommanderError) => {
    const benign = ['commander.helpDisplayed', 'commander.version', 'commander.help'];
    process.exit(benign.includes(err.code) ? 0 : EXIT_USAGE);
  });

registerValidate(program);
registerProbe(program);
registerExplain(program);
registerOperator(program);
registerRun(program);
registerDiff(program);

await program.parseAsync(process.argv);

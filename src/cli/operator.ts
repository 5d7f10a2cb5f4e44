// `flowprobe operator`: run the controller, in the cluster or from a kubeconfig, until SIGTERM/SIGINT.
import { hostname } from 'node:os';
import type { Command } from 'commander';
import { ConfigError, operatorConfig, type OperatorFlags } from '../config/operator-config.js';
import { Operator } from '../controller/operator.js';
import { KubeConfigError } from '../kube/index.js';
import { createLogger, errorField } from '../log/logger.js';
import { EXIT_USAGE } from './exit-codes.js';

export function registerOperator(program: Command): void {
  program
    .command('operator')
    .description('Run the controller: probe ConnectivityTests and publish status, events and metrics.')
    .option(
      '--kubeconfig <file>',
      'kubeconfig to use (default: in-cluster, then $KUBECONFIG, then ~/.kube/config)',
    )
    .option('--context <name>', 'kubeconfig context')
    .option('--metrics-addr <[host]:port>', '/metrics, /healthz and /readyz address', ':8080')
    .option('--no-leader-elect', 'work without a Lease (one replica only)')
    .option(
      '--lease-namespace <ns>',
      "namespace of the leader-election Lease (default: $POD_NAMESPACE, then the kubeconfig context's)",
    )
    .option('--lease-name <name>', 'name of the leader-election Lease', 'flowprobe-operator')
    .option('--identity <id>', 'this replica in the Lease (default: $POD_NAME or the host name)')
    .option(
      '--probe-image <image>',
      'busybox image probe pods run (default: $FLOWPROBE_PROBE_IMAGE or busybox:1.37.0)',
    )
    .option('--max-concurrent-runs <n>', 'probe pods in flight at once, across tests', '4')
    .option('--workers <n>', 'tests reconciled at once', '4')
    .option('--log-level <level>', 'error, warn, info or debug (default: $FLOWPROBE_LOG_LEVEL or info)')
    .action(async (flags: OperatorFlags) => {
      const code = await runOperator(flags);
      // Everything of ours is stopped by now (work drained, pods deleted, lease released, caches and the
      // metrics server closed); the client library's idle keep-alive connections would otherwise hold the
      // process for up to half a minute after SIGTERM (measured by the operator benchmark).
      process.exit(code);
    });
}

async function runOperator(flags: OperatorFlags): Promise<number> {
  let config;
  try {
    config = operatorConfig(flags, process.env, hostname());
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`flowprobe operator: ${err.problems.join('\n  ')}\n`);
    return EXIT_USAGE;
  }
  const log = createLogger(config.logLevel);
  let operator: Operator;
  try {
    operator = new Operator(config, log);
  } catch (err) {
    if (err instanceof KubeConfigError) process.stderr.write(`flowprobe operator: ${err.message}\n`);
    else if (err instanceof ConfigError)
      process.stderr.write(`flowprobe operator: ${err.problems.join('\n  ')}\n`);
    else throw err;
    return EXIT_USAGE;
  }
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info('stopping', { signal });
      void operator.stop().finally(resolve);
    };
    process.once('SIGTERM', () => {
      stop('SIGTERM');
    });
    process.once('SIGINT', () => {
      stop('SIGINT');
    });
  });
  try {
    const url = await operator.start();
    log.info('operator started', { metrics: url, leaderElection: config.leaderElection.enabled });
  } catch (err) {
    log.error('could not start', { error: errorField(err) });
    if (err instanceof ConfigError)
      process.stderr.write(`flowprobe operator: ${err.problems.join('\n  ')}\n`);
    await operator.stop().catch(() => undefined);
    return EXIT_USAGE;
  }
  await stopped;
  return 0;
}

// What `flowprobe operator` does once its flags are parsed (operator.ts declares them): run the controller,
// in the cluster or from a kubeconfig, until SIGTERM/SIGINT.
import { hostname } from 'node:os';
import { ConfigError, operatorConfig, type OperatorFlags } from '../config/operator-config.js';
import { Operator } from '../controller/operator.js';
import { KubeConfigError } from '../kube/index.js';
import { createLogger, errorField } from '../log/logger.js';
import { EXIT_USAGE } from './exit-codes.js';

export async function runOperator(flags: OperatorFlags): Promise<number> {
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

// `flowprobe operator`: its flags and help. What it does is in operator-action.ts, loaded only when the command
// runs: the Kubernetes client, prom-client and winston are for the operator and `run` alone.
import type { Command } from 'commander';
import type { OperatorFlags } from '../config/operator-config.js';

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
      const { runOperator } = await import('./operator-action.js');
      const code = await runOperator(flags);
      // Everything of ours is stopped by now (work drained, pods deleted, lease released, caches and the
      // metrics server closed); the client library's idle keep-alive connections would otherwise hold the
      // process for up to half a minute after SIGTERM (measured by the operator benchmark).
      process.exit(code);
    });
}

// A FAKE local cluster for development: FakeApiServer (HTTPS, so kubectl works) + FAKE kubelet + FAKE CNI
// + FAKE resolver, with the ConnectivityTest CRD installed. Runs until SIGINT/SIGTERM, then removes its
// network namespaces, rules and processes before it returns (npm runs it with `node --import tsx`, not the
// tsx CLI, whose signal relay kills a child that does not acknowledge a signal within 30 ms).
//
//   npm run dev-cluster -- --kubeconfig FILE [--cni enforcing|reject|none] [--lag DURATION]
//                          [--service-account NS/NAME]...
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FakeCluster } from '../test/support/fake-cluster/fake-cluster.js';
import { kubeconfigFile } from '../test/support/fake-cluster/kubeconfig-file.js';
import type { CniMode } from '../test/support/fake-cluster/nft-rules.js';
import { selfSignedCert } from '../test/support/fake-apiserver/self-signed-cert.js';

/** How long Ctrl-C or SIGTERM waits for the orderly stop before the synchronous clean-up at exit. */
const STOP_LIMIT_MS = 20_000;

/** What this cluster is not, so nobody mistakes a pass here for a pass on Kubernetes. */
const LIMITS =
  'FAKE: kube-proxy for ClusterIPs only (no NodePort/LoadBalancer), no scheduler, no admission webhooks, no aggregated ' +
  'APIs, no protobuf, no server-side dry run, no exec/attach/port-forward/eviction; ' +
  'see test/support/fake-cluster/README.md';

const USAGE =
  'usage: npm run dev-cluster -- --kubeconfig FILE [--cni enforcing|reject|none] [--lag DURATION] [--service-account NS/NAME]...';

interface Args {
  kubeconfig: string;
  cni: CniMode;
  lagMs: number;
  serviceAccounts: string[];
}

/** `1500`, `1500ms`, `1.5s` → milliseconds. */
function durationMs(text: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)(ms|s)?$/.exec(text);
  if (m === null) throw new Error(`--lag: '${text}' is not a duration (e.g. 500ms, 2s)`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

function readArgs(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      kubeconfig: { type: 'string' },
      cni: { type: 'string', default: 'enforcing' },
      lag: { type: 'string', default: '0' },
      'service-account': { type: 'string', multiple: true, default: [] },
    },
  });
  if (values.kubeconfig === undefined) throw new Error('--kubeconfig FILE is required');
  const cni = values.cni;
  if (cni !== 'enforcing' && cni !== 'reject' && cni !== 'none')
    throw new Error(`--cni: unknown mode '${cni}'`);
  const serviceAccounts = values['service-account'];
  for (const sa of serviceAccounts) {
    if (!/^[a-z0-9-]+\/[a-z0-9.-]+$/.test(sa)) throw new Error(`--service-account: '${sa}' is not NS/NAME`);
  }
  return { kubeconfig: values.kubeconfig, cni, lagMs: durationMs(values.lag), serviceAccounts };
}

async function main(): Promise<void> {
  let args: Args;
  try {
    args = readArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const cluster = await FakeCluster.start({
    cni: args.cni,
    lagMs: args.lagMs,
    crds: true,
    apiServer: { tls: selfSignedCert() },
    handleSignals: false,
  });
  writeFileSync(args.kubeconfig, kubeconfigFile(cluster.server, args.serviceAccounts), { mode: 0o600 });
  console.log(`FAKE cluster ${cluster.runId} listening on ${cluster.server.url}`);
  console.log(
    `kubeconfig: ${args.kubeconfig} (contexts: fake-admin${args.serviceAccounts.map((s) => `, fake-sa-${s.replace('/', '-')}`).join('')})`,
  );
  console.log(
    `pods: ${cluster.real ? 'real network namespaces' : 'declared outcome table (no root)'}; CNI: ${args.cni}`,
  );
  console.log(LIMITS);
  console.log('ready; Ctrl-C to stop');
  const signal = await firstSignal();
  console.log(`${signal}: stopping FAKE cluster ${cluster.runId} (at most ${STOP_LIMIT_MS / 1000} s)`);
  // Past the bound, exit: the cluster's exit guard then removes namespaces and processes synchronously.
  const bound = setTimeout(() => {
    console.error(`the orderly stop took over ${STOP_LIMIT_MS / 1000} s; removing what is left at exit`);
    process.exit(1);
  }, STOP_LIMIT_MS);
  await cluster.stop();
  clearTimeout(bound);
  console.log(`FAKE cluster ${cluster.runId} stopped and cleaned up`);
}

/**
 * Resolves on the first SIGINT or SIGTERM, and keeps listening: a terminal's Ctrl-C reaches every process
 * of the group, npm forwards it once more, and an impatient user presses it twice. Without a listener a
 * later signal would end the process half way through the clean-up.
 */
function firstSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (stopping) {
        console.log(`${signal}: still cleaning up`);
        return;
      }
      stopping = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

await main();

// A FAKE local cluster for development: FakeApiServer (HTTPS, so kubectl works) + FAKE kubelet + FAKE CNI
// + FAKE resolver, with the ConnectivityTest CRD installed. Runs until SIGINT/SIGTERM, then removes its
// network namespaces, rules and processes.
//
//   npm run dev-cluster -- --kubeconfig FILE [--cni enforcing|reject|none] [--lag DURATION]
//                          [--service-account NS/NAME]...
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FakeCluster } from '../test/support/fake-cluster/fake-cluster.js';
import { kubeconfigFile } from '../test/support/fake-cluster/kubeconfig-file.js';
import type { CniMode } from '../test/support/fake-cluster/nft-rules.js';
import { selfSignedCert } from '../test/support/fake-apiserver/self-signed-cert.js';

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
  console.log('ready; Ctrl-C to stop');
  await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await cluster.stop();
  console.log(`FAKE cluster ${cluster.runId} stopped and cleaned up`);
}

await main();

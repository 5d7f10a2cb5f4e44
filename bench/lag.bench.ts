// `npm run bench -- lag` (issue 11): what a CNI that programs a new pod late does to the verdicts. For a
// lag of 1, 3, 5 and 8 s, a FAKE cluster (FakeCluster `lagMs`: a new pod's rules take effect that late
// after its sandbox exists) and the operator in this process (test/operator/harness.ts, shipped RBAC)
// run one ConnectivityTest with the default settings and the same test with startupGraceSeconds 0 (the
// behaviour before the grace existed), each with two flows:
//
//   locked-to-api    Denied: the source's own egress policy allows DNS only (lag: its rules are missing)
//   frontend-to-web  Allowed: web admits role=frontend only (lag: web's rules do not list the new address)
//
// Prints outcome, verdict, attempts, the probe's duration (first attempt to last, without the grace),
// the run's wall time (test created to status written) and the diagnosis. Asserts nothing. Needs root
// and the tools of the FAKE cluster's real mode (skipped with the reason otherwise).
import type { ConnectivityTest, FlowResult } from '../src/api/types.js';
import { parseProbeLog } from '../src/probe/parse-log.js';
import { isReadyPod, waitForPod } from '../test/fake-cluster/helpers.js';
import { createTest, OperatorUnderTest, startCluster, statusFor } from '../test/operator/harness.js';
import type { KubeObject } from '../test/support/fake-apiserver/index.js';
import { detectPrerequisites, type FakeCluster } from '../test/support/fake-cluster/index.js';

const LAGS_S = (process.env.FLOWPROBE_BENCH_LAGS ?? '1,3,5,8').split(',').map(Number);
const GRACES: (number | undefined)[] = [undefined, 0];

// Wire JSON written as the admin straight into the FAKE API server (same validation as over HTTP).
const dnsOnly = {
  to: [
    {
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ],
};

const policy = (ns: string, name: string, spec: object): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace: ns },
  spec,
});

const policies = (ns: string): KubeObject[] => [
  policy(ns, 'locked-egress', {
    podSelector: { matchLabels: { role: 'locked' } },
    policyTypes: ['Egress'],
    egress: [dnsOnly],
  }),
  policy(ns, 'web-from-frontend', {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      {
        from: [{ podSelector: { matchLabels: { role: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  }),
];

function lagTest(ns: string, grace: number | undefined): ConnectivityTest {
  const to = (app: string) => ({ podSelector: { matchLabels: { app } } });
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 'lag', namespace: ns },
    spec: {
      ...(grace === undefined ? {} : { startupGraceSeconds: grace }),
      flows: [
        {
          name: 'locked-to-api',
          from: { labels: { role: 'locked' } },
          to: to('api'),
          port: 8080,
          expect: 'Denied',
        },
        {
          name: 'frontend-to-web',
          from: { labels: { role: 'frontend' } },
          to: to('web'),
          port: 8080,
          expect: 'Allowed',
        },
      ],
    },
  };
}

export default async function bench(): Promise<void> {
  const prereqs = detectPrerequisites();
  if (!prereqs.real) {
    console.log(
      `skipped: the FAKE cluster cannot run real pods here (missing ${prereqs.missing.join('; ')})`,
    );
    return;
  }
  console.log(
    '| lag | grace | flow | outcome | verdict | attempts (C Connected, B Blocked) | probe s | run s | diagnosis |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const lag of LAGS_S) {
    const rows = await measureLag(lag);
    for (const row of rows) console.log(row);
  }
}

async function measureLag(lagS: number): Promise<string[]> {
  const cluster = await startCluster('enforcing', lagS * 1000);
  const logs = keepProbeLogs(cluster);
  const operator = new OperatorUnderTest(cluster, 'bench-lag', false);
  try {
    await operator.start();
    const runs = await Promise.all(
      GRACES.map(async (grace) => {
        const ns = `lag-grace-${grace ?? 'default'}`;
        await seed(cluster, ns);
        const started = performance.now();
        await createTest(cluster, lagTest(ns, grace));
        const status = await statusFor(cluster, ns, 'lag', 1, 120_000);
        return { grace, runS: (performance.now() - started) / 1000, results: status.results ?? [] };
      }),
    );
    return runs.flatMap(({ grace, runS, results }) =>
      results.map((r) => row(lagS, grace, r, runS, attemptsOf(logs, r))),
    );
  } finally {
    await operator.stop();
    await cluster.stop();
  }
}

async function seed(cluster: FakeCluster, ns: string): Promise<void> {
  await cluster.server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  for (const app of ['web', 'api']) await cluster.server.create(workload(ns, app));
  const uids: string[] = [];
  for (const app of ['web', 'api']) {
    const pod = await waitForPod(cluster.core(), ns, app, 'Ready', isReadyPod, 60_000);
    uids.push(pod.metadata?.uid ?? '');
  }
  for (const p of policies(ns)) await cluster.server.create(p);
  // The targets are new pods too: measure only once the CNI has programmed them (web's ingress drops),
  // so that what lags is the probe pod alone.
  const [web = '', api = ''] = uids;
  const deadline = Date.now() + 60_000;
  while (!(cluster.cni.rulesetOf(web)?.includes('drop') && cluster.cni.rulesetOf(api) !== undefined)) {
    if (Date.now() > deadline) throw new Error(`the FAKE CNI never programmed the targets in ${ns}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A pod the FAKE kubelet serves as a workload: HTTP 200 on its TCP containerPort. */
function workload(ns: string, app: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: app, namespace: ns, labels: { app } },
    spec: {
      containers: [{ name: 'app', image: 'registry.example/web:1', ports: [{ containerPort: 8080 }] }],
    },
  };
}

/**
 * The status keeps only the number of attempts; their outcomes are in the probe pods' logs, which go
 * with the pods. So the FAKE kubelet's log writes are copied on their way into the FAKE API server.
 */
function keepProbeLogs(cluster: FakeCluster): string[] {
  const logs: string[] = [];
  const server = cluster.server;
  const setPodLog = server.setPodLog.bind(server);
  server.setPodLog = (ns, pod, container, text) => {
    if (text.includes('FLOWPROBE1-END')) logs.push(text);
    setPodLog(ns, pod, container, text);
  };
  return logs;
}

/** `C,C,B,B`: each attempt's outcome, from the log whose one probe dialled the result's target. */
function attemptsOf(logs: readonly string[], r: FlowResult): string {
  const [ip = '', port = ''] = (r.target ?? '').split(':');
  const log = logs.find((l) => l.includes(`|tcp|${ip}|${port}|`));
  const [probe] = log === undefined ? [] : parseProbeLog(log, [r.flow]);
  return (probe?.attempts ?? []).map((a) => a.outcome[0]).join(',');
}

function row(lagS: number, grace: number | undefined, r: FlowResult, runS: number, attempts: string): string {
  const cells = [
    `${lagS} s`,
    grace === undefined ? 'default (3 s)' : `${grace} s`,
    `${r.flow} (${r.expected})`,
    r.outcome,
    r.verdict,
    `${r.attempts ?? 0} (${attempts})`,
    ((r.durationMs ?? 0) / 1000).toFixed(2),
    runS.toFixed(1),
    r.diagnosis,
  ];
  return `| ${cells.join(' | ')} |`;
}

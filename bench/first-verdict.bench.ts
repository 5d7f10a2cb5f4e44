// `npm run bench -- first-verdict` (issue 13): from `apply` of ConnectivityTests whose pods are running to
// their first status, on upstream's netpol e2e matrix (kubernetes test/e2e/network/netpol/model.go:
// namespaces x, y, z, pods a, b, c in each, every pod to every pod: 9 × 9 = 81 flows). Identities live in
// their test's namespace, so the matrix is three tests (one per source namespace) of 27 flows, applied at
// once. Namespace x denies all ingress (upstream's "should support a default-deny-ingress policy"), so 27
// flows are dropped and wait out the timeout. A FAKE cluster with real network namespaces (busybox probes,
// nftables drops), the operator in process with its shipped RBAC. Prints, per test, the first status and
// its parts: probe pod start (created to Running), the start-up grace, the probing (first attempt to the
// last, settling included) and the rest (logs read, verdicts, status written). Needs root; asserts nothing.
import { withDefaults } from '../src/api/defaults.js';
import type { ConnectivityTest, ConnectivityTestStatus, Flow } from '../src/api/types.js';
import { RUN_ID_LABEL } from '../src/plan/labels.js';
import { isReadyPod, waitForPod, workloadPod } from '../test/fake-cluster/helpers.js';
import { clients, createTest, OperatorUnderTest, readTest, startCluster } from '../test/operator/harness.js';
import { detectPrerequisites, type FakeCluster } from '../test/support/fake-cluster/index.js';

const NAMESPACES = ['x', 'y', 'z'];
const PODS = ['a', 'b', 'c'];
const PORT = 8080;
const TIMEOUT_MS = 180_000;

interface Timeline {
  ns: string;
  /** From apply to the first probe pod Running in the namespace. */
  podStartS?: number;
  firstStatusS?: number;
  probingS?: number;
  verdicts: Record<string, number>;
}

export default async function bench(): Promise<void> {
  const prereqs = detectPrerequisites();
  if (!prereqs.real) {
    console.log(
      `skipped: the FAKE cluster cannot run real pods here (missing ${prereqs.missing.join('; ')})`,
    );
    return;
  }
  const cluster = await startCluster('enforcing');
  const operator = new OperatorUnderTest(cluster, 'bench-first-verdict', false);
  try {
    await seedMatrix(cluster);
    await operator.start();
    const tests = NAMESPACES.map(matrixTest);
    const spec = withDefaults(tests[0]!.spec);
    const t0 = performance.now();
    await Promise.all(tests.map((t) => createTest(cluster, t)));
    const timelines = await follow(cluster, t0);
    print(timelines, spec.timeoutSeconds ?? 0, spec.startupGraceSeconds ?? 0);
  } finally {
    await operator.stop();
    await cluster.stop();
  }
}

/** Pods a, b, c (label pod=NAME, listening on PORT) in x, y, z, all Ready; then x denies all ingress. */
async function seedMatrix(cluster: FakeCluster): Promise<void> {
  const { core } = clients(cluster);
  for (const ns of NAMESPACES) {
    await cluster.server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    for (const pod of PODS)
      await core.createNamespacedPod({ namespace: ns, body: workloadPod(pod, { pod }) });
  }
  for (const ns of NAMESPACES)
    for (const pod of PODS) await waitForPod(core, ns, pod, 'Ready', isReadyPod, 60_000);
  await cluster.server.create({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'deny-all-ingress', namespace: 'x' },
    spec: { podSelector: {}, policyTypes: ['Ingress'] },
  });
}

function matrixTest(ns: string): ConnectivityTest {
  const flows: Flow[] = PODS.flatMap((from) =>
    NAMESPACES.flatMap((toNs) =>
      PODS.map((to) => ({
        name: `${ns}-${from}-to-${toNs}-${to}`,
        from: { podSelector: { matchLabels: { pod: from } } },
        to: { podSelector: { matchLabels: { pod: to } }, namespace: toNs },
        port: PORT,
        // The probe pod is a new pod with the source's labels, not the source itself: into x, every flow is denied.
        expect: toNs === 'x' ? 'Denied' : 'Allowed',
      })),
    ),
  );
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 'matrix', namespace: ns },
    spec: { flows },
  };
}

/** Polls every 100 ms until each test has a status: when its first probe pod ran, when its status landed. */
async function follow(cluster: FakeCluster, t0: number): Promise<Timeline[]> {
  const { core } = clients(cluster);
  const timelines: Timeline[] = NAMESPACES.map((ns) => ({ ns, verdicts: {} }));
  const since = () => (performance.now() - t0) / 1000;
  while (timelines.some((t) => t.firstStatusS === undefined) && performance.now() - t0 < TIMEOUT_MS) {
    for (const t of timelines.filter((x) => x.firstStatusS === undefined)) {
      if (t.podStartS === undefined) {
        const pods = await core.listNamespacedPod({ namespace: t.ns, labelSelector: RUN_ID_LABEL });
        if (pods.items.some((p) => p.status?.phase === 'Running')) t.podStartS = since();
      }
      const status = (await readTest(cluster, t.ns, 'matrix')).status;
      if (status?.results?.length) record(t, status, since());
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return timelines;
}

function record(t: Timeline, status: ConnectivityTestStatus, at: number): void {
  t.firstStatusS = at;
  t.probingS = Math.max(0, ...(status.results ?? []).map((r) => r.durationMs ?? 0)) / 1000;
  for (const r of status.results ?? []) t.verdicts[r.verdict] = (t.verdicts[r.verdict] ?? 0) + 1;
}

function print(timelines: Timeline[], timeoutS: number, graceS: number): void {
  const s = (n: number | undefined) => (n === undefined ? '-' : n.toFixed(1));
  console.log(
    `9 pods × 9 pods (81 flows) as 3 tests of 27 flows, applied at once; timeout ${timeoutS} s, start-up grace ${graceS} s`,
  );
  console.log(
    '| test | first status s | first probe pod start s | grace s | probing s (settling included) | rest s (the other probe pods, logs, status) | verdicts |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const t of timelines) {
    const rest =
      t.firstStatusS === undefined
        ? undefined
        : t.firstStatusS - (t.podStartS ?? 0) - graceS - (t.probingS ?? 0);
    const cells = [
      t.ns,
      s(t.firstStatusS),
      s(t.podStartS),
      String(graceS),
      s(t.probingS),
      s(rest),
      JSON.stringify(t.verdicts),
    ];
    console.log(`| ${cells.join(' | ')} |`);
  }
  const all = timelines.map((t) => t.firstStatusS ?? Infinity);
  console.log(
    `first verdict of the matrix after ${s(Math.min(...all))} s; all 81 after ${s(Math.max(...all))} s`,
  );
}

/**
 * The operator end to end in the local FAKE cluster (test/support/fake-cluster): the real operator code
 * (src/controller/operator.ts) runs as its ServiceAccount under the shipped RBAC (deploy/rbac.yaml),
 * against the FAKE API server, with probe pods run by the FAKE kubelet — real busybox probes over real
 * network namespaces and nftables where root allows, a declared outcome table otherwise.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { operatorConfig } from '../../src/config/operator-config.js';
import { Operator } from '../../src/controller/operator.js';
import { createLogger } from '../../src/log/logger.js';
import type { ConnectivityTest, ConnectivityTestStatus, Flow } from '../../src/api/types.js';
import { serviceAccountUser, type KubeObject } from '../support/fake-apiserver/index.js';
import { FakeCluster, type CniMode, type FakeClusterOptions } from '../support/fake-cluster/index.js';
import * as k8s from '../support/fake-cluster/kube-client.js';
import { workloadPod, waitForPod, isReadyPod } from '../fake-cluster/helpers.js';

export { k8s };
export const OPERATOR_USER = serviceAccountUser('flowprobe', 'flowprobe-operator');

function shippedRbac(): KubeObject[] {
  const text = readFileSync(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJSON() as KubeObject);
}

/**
 * `lagMs`: the FAKE CNI programs a new pod this late (real enforcers' lag; fake-cluster README). `pods:
 * 'declared'`: probe pods print the declared outcome table (`cluster.outcomes`), never touching a network.
 */
export async function startCluster(
  cni: CniMode,
  lagMs = 0,
  pods: 'auto' | 'declared' = 'auto',
  more: Partial<FakeClusterOptions> = {},
): Promise<FakeCluster> {
  return FakeCluster.start({
    ...more,
    cni,
    lagMs,
    pods,
    crds: true,
    apiServer: {
      namespaces: ['default', 'kube-system', 'flowprobe'],
      objects: shippedRbac(),
      // As OpenShift and hardened clusters: blockOwnerDeletion on probe pods needs connectivitytests/finalizers.
      enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'],
    },
  });
}

/** An operator running as its ServiceAccount; `identity` names it in the lease. */
export class OperatorUnderTest {
  readonly operator: Operator;
  private readonly dir: string;

  constructor(cluster: FakeCluster, identity: string, leaderElect = true) {
    this.dir = mkdtempSync(join(tmpdir(), 'flowprobe-op-'));
    const kubeconfig = join(this.dir, 'kubeconfig');
    writeFileSync(kubeconfig, cluster.server.kubeconfig(OPERATOR_USER, 'flowprobe'));
    const config = operatorConfig(
      {
        kubeconfig,
        metricsAddr: '127.0.0.1:0',
        leaderElect,
        leaseNamespace: 'flowprobe',
        identity,
        maxConcurrentRuns: '8',
      },
      {},
      identity,
    );
    this.operator = new Operator(config, createLogger('error', true));
  }

  private metricsUrl: string | undefined;

  async start(): Promise<string> {
    this.metricsUrl = await this.operator.start();
    return this.metricsUrl;
  }

  /** Where /metrics, /healthz and /readyz are served (after start). */
  url(): string {
    if (!this.metricsUrl) throw new Error('the operator has not started');
    return this.metricsUrl;
  }

  async stop(): Promise<void> {
    await this.operator.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  async metric(name: string): Promise<string[]> {
    const text = await this.operator.metrics.registry.metrics();
    return text.split('\n').filter((l) => l.startsWith(name));
  }
}

export function clients(cluster: FakeCluster) {
  const kc = cluster.kubeConfig();
  return {
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    net: kc.makeApiClient(k8s.NetworkingV1Api),
    events: kc.makeApiClient(k8s.EventsV1Api),
  };
}

/** A namespace with a ready `web` pod listening on 8080, and the given policies. */
export async function seedNamespace(
  cluster: FakeCluster,
  ns: string,
  policies: k8s.V1NetworkPolicy[],
): Promise<string> {
  const { core, net } = clients(cluster);
  await core.createNamespace({ body: { metadata: { name: ns } } });
  await core.createNamespacedPod({ namespace: ns, body: workloadPod('web', { app: 'web' }) });
  const web = await waitForPod(core, ns, 'web', 'Ready', isReadyPod);
  for (const body of policies) await net.createNamespacedNetworkPolicy({ namespace: ns, body });
  return web.status?.podIP ?? '';
}

export function connectivityTest(
  ns: string,
  name: string,
  flows: Flow[],
  interval?: string,
): ConnectivityTest {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name, namespace: ns },
    spec: { ...(interval ? { interval } : {}), timeoutSeconds: 2, flows },
  };
}

export async function createTest(cluster: FakeCluster, test: ConnectivityTest): Promise<void> {
  const ns = test.metadata.namespace ?? '';
  await clients(cluster).custom.createNamespacedCustomObject({
    group: 'flowprobe.dev',
    version: 'v1alpha1',
    namespace: ns,
    plural: 'connectivitytests',
    body: test,
  });
}

export async function readTest(cluster: FakeCluster, ns: string, name: string): Promise<ConnectivityTest> {
  return (await clients(cluster).custom.getNamespacedCustomObject({
    group: 'flowprobe.dev',
    version: 'v1alpha1',
    namespace: ns,
    plural: 'connectivitytests',
    name,
  })) as ConnectivityTest;
}

/** Polls the test until its status answers `generation` (bounded; the operator's output is the event). */
export async function statusFor(
  cluster: FakeCluster,
  ns: string,
  name: string,
  generation = 1,
  timeoutMs = 60_000,
  complete: (s: ConnectivityTestStatus) => boolean = () => true,
): Promise<ConnectivityTestStatus> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const test = await readTest(cluster, ns, name);
    const s = test.status;
    if (s?.observedGeneration === generation && s.results && complete(s)) return s;
    if (Date.now() > deadline)
      throw new Error(`no status for ${ns}/${name} generation ${generation}: ${JSON.stringify(test.status)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function probePods(cluster: FakeCluster, ns: string): Promise<k8s.V1Pod[]> {
  const list = await clients(cluster).core.listNamespacedPod({
    namespace: ns,
    labelSelector: 'flowprobe.dev/run-id',
  });
  return list.items;
}

/** Polls until `check` holds. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const denyIngressToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
};

export const allowFrontendToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'allow-frontend' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      {
        _from: [{ podSelector: { matchLabels: { role: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
};

export function flow(name: string, role: string, expect: 'Allowed' | 'Denied'): Flow {
  return {
    name,
    from: { labels: { role } },
    to: { podSelector: { matchLabels: { app: 'web' } } },
    port: 8080,
    expect,
  };
}

export interface ClusterUnderTest {
  readonly cluster: FakeCluster;
  /** The operators started with the cluster, in the order named. */
  readonly operators: OperatorUnderTest[];
  /** Something else to stop before the cluster goes (stopped in reverse order of registration). */
  alsoStop(stop: () => Promise<void>): void;
}

/**
 * Registers mocha hooks that start a FAKE cluster (and operators named by identity) before the suite and
 * stop everything in reverse order after it — also when `before` failed half way.
 */
export function useFakeCluster(
  cni: CniMode,
  operators: readonly string[] = [],
  leaderElect = false,
  lagMs = 0,
  pods: 'auto' | 'declared' = 'auto',
): ClusterUnderTest {
  const started: (() => Promise<void>)[] = [];
  const state = {
    cluster: undefined as FakeCluster | undefined,
    operators: [] as OperatorUnderTest[],
  };
  before(async () => {
    const cluster = await startCluster(cni, lagMs, pods);
    state.cluster = cluster;
    started.push(() => cluster.stop());
    for (const identity of operators) {
      const op = new OperatorUnderTest(cluster, identity, leaderElect);
      await op.start();
      started.push(() => op.stop());
      state.operators.push(op);
    }
  });
  after(async () => {
    for (const stop of started.reverse()) await stop();
  });
  return {
    get cluster(): FakeCluster {
      if (!state.cluster) throw new Error('the FAKE cluster has not started');
      return state.cluster;
    },
    operators: state.operators,
    alsoStop: (stop) => started.push(stop),
  };
}

/** The probe pods the API server admits in `ns` whose labels match `labelSelector`, from now on. */
export async function watchPods(
  cluster: FakeCluster,
  ns: string,
  labelSelector: string,
): Promise<{ pods: k8s.V1Pod[]; stop: () => void }> {
  const pods: k8s.V1Pod[] = [];
  const req = await new k8s.Watch(cluster.kubeConfig()).watch(
    `/api/v1/namespaces/${ns}/pods`,
    { labelSelector },
    (type, obj: k8s.V1Pod) => {
      if (type === 'ADDED') pods.push(obj);
    },
    () => undefined,
  );
  return {
    pods,
    stop: () => {
      req.abort();
    },
  };
}

/** useFakeCluster for a FAKE cluster of `nodes` nodes (FakeCluster's `nodes` option), CNI enforcing. */
export function useFakeNodes(
  nodes: number,
  operators: readonly string[],
  more: Partial<FakeClusterOptions> = {},
): ClusterUnderTest {
  const stops: (() => Promise<void>)[] = [];
  let cluster: FakeCluster | undefined;
  const ops: OperatorUnderTest[] = [];
  before(async () => {
    cluster = await FakeCluster.start({
      ...more,
      cni: 'enforcing',
      nodes,
      crds: true,
      apiServer: {
        namespaces: ['default', 'kube-system', 'flowprobe'],
        objects: shippedRbac(),
        enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'],
      },
    });
    const c = cluster;
    stops.push(() => c.stop());
    for (const identity of operators) {
      const op = new OperatorUnderTest(c, identity, false);
      await op.start();
      stops.push(() => op.stop());
      ops.push(op);
    }
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return {
    get cluster(): FakeCluster {
      if (!cluster) throw new Error('the FAKE cluster has not started');
      return cluster;
    },
    operators: ops,
    alsoStop: (stop) => stops.push(stop),
  };
}

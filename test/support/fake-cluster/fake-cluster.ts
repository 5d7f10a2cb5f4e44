// FakeCluster = FakeApiServer + FakeKubelet + FakeCni + FakeKubeProxy + the FAKE resolver: a local stand-in for a
// Kubernetes cluster in which the operator's integration tests create probe pods that run real busybox
// probes over real kernel networking (or, without root, answer from a declared outcome table).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  type V1Namespace,
  type V1NetworkPolicy,
  type V1Service,
} from '@kubernetes/client-node';
import { FakeApiServer, type FakeApiServerOptions, type KubeObject } from '../fake-apiserver/index.js';
import { fakeNodes, runId, type FakeNode, type IpFamily } from './addresses.js';
import { snapshotSource } from './cluster-snapshot.js';
import { type ImagePolicy } from './container-kind.js';
import { ExitGuard } from './exit-guard.js';
import { FakeCni } from './fake-cni.js';
import { FakeKubeProxy } from './fake-kube-proxy.js';
import { FakeKubelet } from './fake-kubelet.js';
import { FakeResolver, resolverPod } from './fake-resolver.js';
import { FakeScheduler } from './fake-scheduler.js';
import { NodeLinks } from './node-links.js';
import { FakeWorkloadController } from './fake-workload-controller.js';
import { NetnsRuntime } from './netns-runtime.js';
import type { CniMode } from './nft-rules.js';
import { NodeNetwork } from './node-network.js';
import type { OutcomeTable } from './outcome-table.js';
import { detectPrerequisites, type Prerequisites } from './prerequisites.js';
import { TableRuntime } from './table-runtime.js';
import { WatchTrigger } from './watch-trigger.js';
import { ClusterPolicyTriggers } from './cluster-policy-triggers.js';

const CRDS = [
  new URL('../../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url),
  new URL('../../../crds/clusterconnectivitytests.flowprobe.dev.yaml', import.meta.url),
];

export interface FakeClusterOptions {
  cni?: CniMode;
  /** Rules for a new pod take effect this long after it starts (enforcers that lag). */
  lagMs?: number;
  /** Install the shipped CRDs (crds/: ConnectivityTest and ClusterConnectivityTest). */
  crds?: boolean;
  /**
   * `auto` (default): real network namespaces where the prerequisites are met, else the declared outcome
   * table (or a failure with FLOWPROBE_REQUIRE_NETNS=1). `declared`: the table even where pods could run
   * for real (to test the fallback on a machine that has root).
   */
  pods?: 'auto' | 'declared';
  /** Where pods do not run for real: the result per probe target (outcome-table.ts). */
  outcomes?: OutcomeTable;
  imagePolicy?: ImagePolicy;
  /** Passed to FakeApiServer.start (e.g. `tls` for kubectl, extra objects). */
  apiServer?: FakeApiServerOptions;
  /** Print the FAKE's mode line (default true). */
  announce?: boolean;
  /**
   * FAKE nodes (1 to 3; default 1), each a network namespace with its own bridge and pod subnet, routed to
   * each other; a FAKE scheduler binds pods to them (README, "Nodes and the FAKE scheduler").
   */
  nodes?: number;
  /**
   * Clean up synchronously on SIGINT/SIGTERM (default true). A program that stops the cluster itself on
   * those signals passes false; the cleanup on process exit stays.
   */
  handleSignals?: boolean;
  /**
   * `['IPv4', 'IPv6']`: dual-stack pods (status.podIPs has both; node-network.ts), with the FAKE CNI
   * enforcing both families. Default IPv4 only.
   */
  ipFamilies?: IpFamily[];
}

export class FakeCluster {
  /** The declared outcome table the fallback answers from; tests may change it between probes. */
  outcomes: OutcomeTable;
  private readonly triggers: WatchTrigger<V1Namespace | V1NetworkPolicy | V1Service>[] = [];
  private clusterPolicyTriggers: ClusterPolicyTriggers | undefined;
  private guard: ExitGuard | undefined;
  private networks: NodeNetwork[] = [];
  private links: NodeLinks | undefined;
  private runtimes: (NetnsRuntime | TableRuntime)[] = [];
  private kubelets: FakeKubelet[] = [];
  private scheduler: FakeScheduler | undefined;
  /** The FAKE nodes (fake-node-1 …). */
  readonly nodes: readonly FakeNode[];
  private cniImpl: FakeCni | undefined;
  private proxyImpl: FakeKubeProxy | undefined;
  private resolver: FakeResolver | undefined;
  private workloads: FakeWorkloadController | undefined;
  private stopped = false;

  private constructor(
    readonly server: FakeApiServer,
    readonly runId: string,
    private readonly dir: string,
    options: FakeClusterOptions,
  ) {
    this.outcomes = options.outcomes ?? {};
    this.nodes = fakeNodes(options.nodes ?? 1);
  }

  static async start(options: FakeClusterOptions = {}): Promise<FakeCluster> {
    const prereqs: Prerequisites =
      options.pods === 'declared' ? { real: false, missing: [] } : detectPrerequisites();
    const objects = [...(options.crds === true ? crdObjects() : []), ...(options.apiServer?.objects ?? [])];
    const server = await FakeApiServer.start({ ...options.apiServer, objects });
    const id = runId();
    const cluster = new FakeCluster(server, id, mkdtempSync(join(tmpdir(), `${id}-`)), options);
    try {
      await cluster.boot(options, prereqs);
      return cluster;
    } catch (err) {
      await cluster.stop();
      throw err;
    }
  }

  private async boot(options: FakeClusterOptions, prereqs: Prerequisites): Promise<void> {
    const kc = this.kubeConfig();
    const snapshot = snapshotSource(kc);
    const tools = prereqs.real ? prereqs.tools : undefined;
    const cni = new FakeCni({ mode: options.cni ?? 'enforcing', lagMs: options.lagMs ?? 0 }, snapshot, tools);
    this.cniImpl = cni;
    const resolver = new FakeResolver(this.dir, snapshot);
    this.resolver = resolver;
    const kubeProxy = new FakeKubeProxy(snapshot, tools);
    this.proxyImpl = kubeProxy;
    if (prereqs.real) {
      const tools = prereqs.tools;
      const dualStack = options.ipFamilies?.includes('IPv6') === true;
      this.networks = this.nodes.map((node) => new NodeNetwork(tools, this.runId, node, dualStack));
      this.guard = new ExitGuard(() => {
        this.destroySync();
      }, options.handleSignals !== false);
      for (const network of this.networks) await network.create();
      if (this.networks.length > 1) {
        this.links = new NodeLinks(tools, this.runId, this.networks);
        await this.links.create();
      }
      for (const network of this.networks)
        this.runtimes.push(await NetnsRuntime.create(tools, network, cni, resolver, kubeProxy));
    } else {
      const table = new TableRuntime(() => this.outcomes, options.pods === 'declared');
      this.runtimes = this.nodes.map(() => table);
    }
    const changed = (): void => {
      cni.changed();
      kubeProxy.changed();
      resolver.sync().catch(() => undefined); // kept in resolver.errors
    };
    // One kubelet per node, each running the pods bound to it; one of them feeds the CNI's triggers.
    for (const [i, node] of this.nodes.entries()) {
      this.kubelets.push(
        await FakeKubelet.start({
          kc,
          runtime: this.runtimes[i] ?? this.runtime,
          setPodLog: (ns, pod, container, text) => {
            this.server.setPodLog(ns, pod, container, text);
          },
          ...(options.imagePolicy === undefined ? {} : { imagePolicy: options.imagePolicy }),
          beforeContainers: () => resolver.sync(),
          ...(i === 0 ? { onPodEvent: changed } : {}),
          node: { name: node.name, ip: node.ip },
        }),
      );
    }
    this.scheduler = new FakeScheduler(
      kc,
      this.nodes.map((n) => n.name),
    );
    await this.scheduler.start();
    await this.watchForCni(kc, changed);
    this.workloads = new FakeWorkloadController(kc);
    await this.workloads.start();
    if (options.announce !== false) {
      const why =
        prereqs.real || prereqs.missing.length === 0 ? '' : ` (missing: ${prereqs.missing.join('; ')})`;
      const lag = cni.lagMs > 0 ? `, lag ${cni.lagMs} ms` : '';
      console.log(`      ${this.runtime.description}; FAKE CNI mode ${cni.mode}${lag}${why}`);
    }
    // Pinned to the first node, whose subnet holds RESOLVER_IP (as a static pod is bound to its node).
    const dns = resolverPod();
    if (dns.spec) dns.spec.nodeName = this.nodes[0]?.name ?? '';
    await this.core().createNamespacedPod({ namespace: 'kube-system', body: dns });
  }

  private async watchForCni(kc: KubeConfig, changed: () => void): Promise<void> {
    const core = kc.makeApiClient(CoreV1Api);
    const net = kc.makeApiClient(NetworkingV1Api);
    const cb = { add: changed, update: changed, delete: changed };
    this.triggers.push(
      new WatchTrigger<V1Namespace>(kc, '/api/v1/namespaces', () => core.listNamespace(), cb),
      new WatchTrigger<V1Service>(kc, '/api/v1/services', () => core.listServiceForAllNamespaces(), cb),
      new WatchTrigger<V1NetworkPolicy>(
        kc,
        '/apis/networking.k8s.io/v1/networkpolicies',
        () => net.listNetworkPolicyForAllNamespaces(),
        cb,
      ),
    );
    await Promise.all(this.triggers.map((t) => t.start()));
    this.clusterPolicyTriggers = new ClusterPolicyTriggers(kc, changed);
    await this.clusterPolicyTriggers.start();
  }

  /** The first node's runtime (every node's runtime is of the same kind). */
  private get runtime(): NetnsRuntime | TableRuntime {
    const first = this.runtimes[0];
    if (first === undefined) throw new Error('FakeCluster is not started');
    return first;
  }

  /** Whether pods run for real (network namespaces) rather than from the outcome table. */
  get real(): boolean {
    return this.runtimes[0] instanceof NetnsRuntime;
  }

  /** The FAKE nodes' names, in order. */
  get nodeNames(): string[] {
    return this.nodes.map((n) => n.name);
  }

  /**
   * Breaks one node's forwarding to and from the other nodes (an nft drop in that node's namespace, never
   * a pod's): its pods still reach each other, nothing crosses between it and another node.
   */
  async breakNodeForwarding(nodeName: string): Promise<void> {
    await this.nodeLinks().breakForwarding(this.nodeNetwork(nodeName));
  }

  async repairNodeForwarding(nodeName: string): Promise<void> {
    await this.nodeLinks().repairForwarding(this.nodeNetwork(nodeName));
  }

  private nodeLinks(): NodeLinks {
    if (this.links === undefined)
      throw new Error('FakeCluster: node links need real pods and two nodes or more');
    return this.links;
  }

  private nodeNetwork(nodeName: string): NodeNetwork {
    const network = this.networks.find((n) => n.node.name === nodeName);
    if (network === undefined) throw new Error(`FakeCluster: no node ${nodeName}`);
    return network;
  }

  get cni(): FakeCni {
    if (this.cniImpl === undefined) throw new Error('FakeCluster is not started');
    return this.cniImpl;
  }

  /** The FAKE kube-proxy (Service cluster IPs → ready endpoints, in every pod's namespace). */
  get kubeProxy(): FakeKubeProxy {
    if (this.proxyImpl === undefined) throw new Error('FakeCluster is not started');
    return this.proxyImpl;
  }

  /** Errors the kubelet and CNI met in the background (a test can assert there are none). */
  get errors(): string[] {
    return [
      ...this.kubelets.flatMap((k) => k.errors),
      ...(this.scheduler?.errors ?? []).map((e) => `FAKE scheduler: ${e.message}`),
      ...this.cni.errors.map((e) => `FAKE CNI: ${e.message}`),
      ...(this.proxyImpl?.errors ?? []).map((e) => `FAKE kube-proxy: ${e.message}`),
      ...(this.resolver?.errors ?? []).map((e) => `FAKE resolver: ${e.message}`),
      ...(this.workloads?.errors ?? []).map((e) => `FAKE workload controller: ${e.message}`),
    ];
  }

  /** A client configuration for an identity (default: the admin). */
  kubeConfig(user?: string, namespace?: string): KubeConfig {
    const kc = new KubeConfig();
    kc.loadFromString(this.server.kubeconfig(user, namespace));
    return kc;
  }

  core(): CoreV1Api {
    return this.kubeConfig().makeApiClient(CoreV1Api);
  }

  /** Whether a network namespace of this cluster still exists (false without real pods). */
  netnsExists(netns: string): Promise<boolean> {
    return this.networks[0]?.exists(netns) ?? Promise.resolve(false);
  }

  /** The network namespace the FAKE gave a pod (by uid), undefined without real pods. */
  podNetns(uid: string): string | undefined {
    for (const r of this.runtimes) {
      const netns = r instanceof NetnsRuntime ? r.netnsByUid.get(uid) : undefined;
      if (netns !== undefined) return netns;
    }
    return undefined;
  }

  /** Every network namespace name this run created so far starts with this. */
  get netnsPrefix(): string {
    return `${this.runId}-`;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.all(this.triggers.map((t) => t.stop()));
    await this.clusterPolicyTriggers?.stop();
    await this.workloads?.stop();
    await this.resolver?.stop();
    await this.scheduler?.stop();
    await Promise.all(this.kubelets.map((k) => k.stop()));
    await this.cniImpl?.stop();
    await this.proxyImpl?.stop();
    await Promise.all([...new Set(this.runtimes)].map((r) => r.stop()));
    this.destroySync();
    await this.server.stop();
  }

  private destroySync(): void {
    this.guard?.release();
    for (const r of this.runtimes) if (r instanceof NetnsRuntime) r.killAllSync();
    this.links?.destroySync();
    for (const network of this.networks) network.destroySync();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function crdObjects(): KubeObject[] {
  return CRDS.map((url) => parse(readFileSync(url, 'utf8')) as KubeObject);
}

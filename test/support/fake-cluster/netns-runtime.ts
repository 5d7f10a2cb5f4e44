// Runs pods for real: each pod is a network namespace on the FAKE node's bridge (node-network.ts).
// - a probe container runs its command (`sh -c SCRIPT ...`) with busybox: PATH holds only a directory of
//   applet links, as src/probe/run-local.ts does, and the argv is the container's, never host shell text;
// - a workload container listens on its declared ports (workload-server.ts: HTTP 200 on TCP, UDP echo);
// - the resolver container runs dnsmasq (fake-resolver.ts keeps its records).
// The CNI and the FAKE kube-proxy are told of each pod before its containers start (a CNI ADD), and of its
// removal.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { linkApplets } from '../../../src/probe/run-local.js';
import type { Tools } from '../netlab/prereqs.js';
import { ipv6For, PodAddresses, RESOLVER_IP } from './addresses.js';
import { spawnContainer, type SpawnedContainer } from './child-process.js';
import { containerKind, FAKE_RESOLVER_IMAGE } from './container-kind.js';
import type { FakeResolver } from './fake-resolver.js';
import type { FakeCni } from './fake-cni.js';
import type { FakeKubeProxy } from './fake-kube-proxy.js';
import { NodeNetwork, type PodNetwork } from './node-network.js';
import type { ContainerProcess, LogSink, PodRuntime, PodSandbox } from './pod-runtime.js';

const WORKLOAD = fileURLToPath(new URL('./workload-server.ts', import.meta.url));
const START_TIMEOUT_MS = 15_000;

export class NetnsRuntime implements PodRuntime {
  readonly description = 'FAKE kubelet: pods run in network namespaces, probes run busybox for real';
  private readonly addresses: PodAddresses;
  private readonly sandboxes = new Set<NetnsSandbox>();
  /** Pod uid → its network namespace, for tests that check teardown. */
  readonly netnsByUid = new Map<string, string>();

  private constructor(
    readonly tools: Tools,
    readonly network: NodeNetwork,
    private readonly appletDir: string,
    private readonly cni: FakeCni,
    private readonly resolver: FakeResolver,
    private readonly kubeProxy: FakeKubeProxy,
  ) {
    this.addresses = new PodAddresses(network.node);
  }

  static async create(
    tools: Tools,
    network: NodeNetwork,
    cni: FakeCni,
    resolver: FakeResolver,
    kubeProxy: FakeKubeProxy,
  ): Promise<NetnsRuntime> {
    const dir = mkdtempSync(join(tmpdir(), `${network.runId}-applets-`));
    try {
      await linkApplets(tools.busybox, dir);
    } catch (err) {
      rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    return new NetnsRuntime(tools, network, dir, cni, resolver, kubeProxy);
  }

  async createSandbox(pod: V1Pod): Promise<PodSandbox> {
    const isResolver = (pod.spec?.containers ?? []).some((c) => c.image === FAKE_RESOLVER_IMAGE);
    const ip = isResolver ? RESOLVER_IP : this.addresses.allocate();
    const ip6 = this.network.dualStack && !isResolver ? ipv6For(ip, this.network.node.index) : undefined;
    const net = await this.network.addPod(ip, pod.metadata?.namespace ?? 'default', ip6);
    const sandbox = new NetnsSandbox(this, pod.metadata?.uid ?? '', net);
    this.sandboxes.add(sandbox);
    this.netnsByUid.set(sandbox.uid, net.netns);
    try {
      await this.kubeProxy.attach(sandbox.uid, net);
      await this.cni.attach(pod, net);
    } catch (err) {
      await sandbox.destroy();
      throw err;
    }
    return sandbox;
  }

  /** The argv and environment of a container, by kind. */
  command(c: V1Container, net: PodNetwork): { argv: string[]; env: NodeJS.ProcessEnv; ready?: RegExp } {
    const inNetns = [this.tools.ip, 'netns', 'exec', net.netns];
    const kind = containerKind(c);
    if (kind.kind === 'probe') {
      const [, ...args] = kind.argv;
      return { argv: [...inNetns, join(this.appletDir, 'sh'), ...args], env: { PATH: this.appletDir } };
    }
    if (kind.kind === 'resolver') {
      return { argv: [...inNetns, ...this.resolver.dnsmasqArgv(this.tools.dnsmasq, net.ip)], env: {} };
    }
    const flags = [
      ...kind.tcp.flatMap((p) => ['--tcp', String(p)]),
      ...kind.udp.flatMap((p) => ['--udp', String(p)]),
    ];
    return { argv: [...inNetns, process.execPath, WORKLOAD, ...flags], env: {}, ready: /^ready$/ };
  }

  onStarted(c: V1Container, proc: SpawnedContainer): Promise<void> {
    if (containerKind(c).kind !== 'resolver') return Promise.resolve();
    void proc.exited.then(() => {
      this.resolver.detach(proc);
    });
    return this.resolver.attach(proc);
  }

  forget(sandbox: NetnsSandbox): Promise<void> {
    this.sandboxes.delete(sandbox);
    this.cni.detach(sandbox.uid);
    this.kubeProxy.detach(sandbox.uid);
    return this.network.removePod(sandbox.net.netns);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.sandboxes].map((s) => s.destroy()));
    rmSync(this.appletDir, { recursive: true, force: true });
  }

  /** Synchronous last resort from an exit handler. */
  killAllSync(): void {
    for (const s of this.sandboxes) s.killAll();
    rmSync(this.appletDir, { recursive: true, force: true });
  }
}

class NetnsSandbox implements PodSandbox {
  private readonly processes = new Set<SpawnedContainer>();
  private destroyed: Promise<void> | undefined;

  constructor(
    private readonly runtime: NetnsRuntime,
    readonly uid: string,
    readonly net: PodNetwork,
  ) {}

  get ip6(): string | undefined {
    return this.net.ip6;
  }

  get ip(): string {
    return this.net.ip;
  }

  async start(container: V1Container, log: LogSink): Promise<ContainerProcess> {
    const { argv, env, ready } = this.runtime.command(container, this.net);
    const proc = spawnContainer(argv, env, log);
    this.processes.add(proc);
    void proc.exited.then(() => this.processes.delete(proc));
    try {
      if (ready !== undefined) await proc.lines.waitForCount(ready, 1, START_TIMEOUT_MS);
      await this.runtime.onStarted(container, proc);
    } catch (err) {
      proc.kill();
      throw err;
    }
    return proc;
  }

  killAll(): void {
    for (const p of this.processes) p.kill();
  }

  destroy(): Promise<void> {
    this.destroyed ??= (async () => {
      const exits = [...this.processes].map((p) => p.exited);
      this.killAll();
      await Promise.all(exits);
      await this.runtime.forget(this);
    })();
    return this.destroyed;
  }
}

// The FAKE scheduler: binds every pod without `spec.nodeName` to a FAKE node its node affinity allows
// (node-affinity.ts), the one with the fewest pods bound so far (ties: by name), so that pods spread as
// kube-scheduler's default scoring spreads them. A pod no node fits stays Pending with condition
// PodScheduled=False, reason Unschedulable and kube-scheduler's message. It watches as the admin.
//
// Differences from kube-scheduler: binding is a merge patch of `spec.nodeName` (the FAKE API server has no
// `pods/binding`), taints, resources, ports and topology spread are not considered, and an unschedulable
// pod is not retried (the FAKE cluster's nodes never change).
import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { fitsNode, nodeLabels, unschedulableMessage, type NodeView } from './node-affinity.js';
import { WatchTrigger } from './watch-trigger.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class FakeScheduler {
  private readonly watch: WatchTrigger<V1Pod>;
  private readonly core: CoreV1Api;
  private readonly nodes: NodeView[];
  /** Pod uid → node, for the pods this scheduler bound (or found bound): its idea of each node's load. */
  private readonly bound = new Map<string, string>();
  private readonly decided = new Set<string>();
  readonly errors: Error[] = [];

  constructor(kc: KubeConfig, nodeNames: readonly string[]) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.nodes = nodeNames.map((name) => ({ name, labels: nodeLabels(name) }));
    this.watch = new WatchTrigger<V1Pod>(kc, '/api/v1/pods', () => this.core.listPodForAllNamespaces(), {
      add: (pod) => {
        this.seen(pod);
      },
      update: (pod) => {
        this.seen(pod);
      },
      delete: (pod) => {
        this.bound.delete(pod.metadata?.uid ?? '');
      },
    });
  }

  start(): Promise<void> {
    return this.watch.start();
  }

  stop(): Promise<void> {
    return this.watch.stop();
  }

  private seen(pod: V1Pod): void {
    const uid = pod.metadata?.uid ?? '';
    const bound = pod.spec?.nodeName;
    if (bound) {
      this.bound.set(uid, bound);
      return;
    }
    const phase = pod.status?.phase;
    if (
      this.decided.has(uid) ||
      pod.metadata?.deletionTimestamp ||
      phase === 'Succeeded' ||
      phase === 'Failed'
    )
      return;
    this.decided.add(uid);
    void this.schedule(pod).catch((err: unknown) => {
      // A pod deleted meanwhile needs no decision.
      if ((err as { code?: number }).code !== 404)
        this.errors.push(err instanceof Error ? err : new Error(String(err)));
    });
  }

  private async schedule(pod: V1Pod): Promise<void> {
    const namespace = pod.metadata?.namespace ?? 'default';
    const name = pod.metadata?.name ?? '';
    const fits = this.nodes.filter((n) => fitsNode(pod, n));
    const node = fits.sort(
      (a, b) => this.load(a.name) - this.load(b.name) || a.name.localeCompare(b.name),
    )[0];
    if (node === undefined) {
      const condition = {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: unschedulableMessage(this.nodes.length),
        lastProbeTime: null,
        lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      };
      await this.core.patchNamespacedPodStatus(
        { namespace, name, body: { status: { phase: 'Pending', conditions: [condition] } } },
        mergePatch,
      );
      return;
    }
    this.bound.set(pod.metadata?.uid ?? '', node.name);
    await this.core.patchNamespacedPod(
      { namespace, name, body: { spec: { nodeName: node.name } } },
      mergePatch,
    );
  }

  private load(node: string): number {
    let n = 0;
    for (const bound of this.bound.values()) if (bound === node) n++;
    return n;
  }
}

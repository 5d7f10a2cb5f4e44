// `flowprobe run`'s pod calls: every pod created is remembered until it is deleted, so that clean-up can
// name what it could not delete. Once the run's signal has aborted no pod is created, and a create that
// was in flight and completes afterwards is deleted at once. Creates and deletes are bounded by the
// clean-up signal, not the run's: a create cut off mid-flight could leave a pod whose name we never
// learnt (its owner Deployment's deletion still removes it).
import type { KubeCluster, PodObject } from '../kube/index.js';
import type { ProbePodApi } from '../run/index.js';

export interface RunSignals {
  /** Stops the probing (deadline less clean-up's share, Ctrl-C). */
  work: AbortSignal;
  /** Stops clean-up (the deadline). */
  cleanup: AbortSignal;
}

export class TrackedPods implements ProbePodApi {
  private readonly live = new Map<string, { namespace: string; name: string }>();
  private readonly creating = new Set<Promise<unknown>>();

  constructor(
    private readonly cluster: KubeCluster,
    private readonly signals: RunSignals,
  ) {}

  async createPod(namespace: string, manifest: object): Promise<PodObject> {
    this.signals.work.throwIfAborted();
    const pending = this.cluster.createPod(namespace, manifest, { signal: this.signals.cleanup });
    this.creating.add(pending);
    let pod: PodObject;
    try {
      pod = await pending;
    } finally {
      this.creating.delete(pending);
    }
    this.live.set(`${namespace}/${pod.metadata.name}`, { namespace, name: pod.metadata.name });
    if (this.signals.work.aborted) {
      await this.deletePod(namespace, pod.metadata.name).catch(() => undefined);
      this.signals.work.throwIfAborted();
    }
    return pod;
  }

  podLog(namespace: string, name: string, container: string): Promise<string> {
    return this.cluster.podLog(namespace, name, container, { signal: this.signals.work });
  }

  async deletePod(namespace: string, name: string): Promise<void> {
    await this.cluster.deletePod(namespace, name, { signal: this.signals.cleanup });
    this.live.delete(`${namespace}/${name}`);
  }

  /** Waits for creates in flight, deletes every pod still alive; returns those it could not delete. */
  async deleteAll(): Promise<{ namespace: string; name: string }[]> {
    await Promise.allSettled([...this.creating]);
    await Promise.allSettled([...this.live.values()].map((p) => this.deletePod(p.namespace, p.name)));
    return [...this.live.values()];
  }
}

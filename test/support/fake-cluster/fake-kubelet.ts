// The FAKE kubelet: watches every pod through @kubernetes/client-node and runs it (pod-run.ts) on a
// PodRuntime — for real in network namespaces, or from a declared outcome table. It talks to the API
// server as the admin identity (a real kubelet is `system:node:NAME`, authorized by the Node authorizer,
// which the FAKE API server does not have), and hands container logs to the server in-process
// (`setPodLog`), as a real kubelet serves them for `pods/log`.
import {
  CoreV1Api,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { defaultImagePolicy, type ImagePolicy } from './container-kind.js';
import type { PodRuntime } from './pod-runtime.js';
import { PodRun } from './pod-run.js';
import { WatchTrigger } from './watch-trigger.js';

export interface FakeKubeletOptions {
  kc: KubeConfig;
  runtime: PodRuntime;
  setPodLog: (namespace: string, pod: string, container: string, text: string) => void;
  /** Which images can be "pulled"; default: any not matching /does-not-exist/ or a `.invalid` registry. */
  imagePolicy?: ImagePolicy;
  /** From ErrImagePull to ImagePullBackOff. */
  pullBackoffMs?: number;
  beforeContainers?: () => Promise<void>;
  /** Any pod event (the CNI and resolver recompute on these). */
  onPodEvent?: () => void;
  /**
   * Run only the pods this selects (default: every pod). A benchmark's large cluster of pods that are
   * data only (bound to other nodes, with a status already) runs its probe pods alone this way.
   */
  labelSelector?: string;
  /**
   * The node this kubelet is: it runs only pods bound to it (spec.nodeName), as a kubelet watches with
   * `fieldSelector=spec.nodeName=NODE`, and reports `hostIP`. Absent: every pod, bound or not (one node,
   * no scheduler).
   */
  node?: { name: string; ip: string };
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

export class FakeKubelet {
  private readonly runs = new Map<string, PodRun>();
  private readonly watch: WatchTrigger<V1Pod>;
  private readonly core: CoreV1Api;
  readonly errors: string[] = [];

  private constructor(private readonly options: FakeKubeletOptions) {
    this.core = options.kc.makeApiClient(CoreV1Api);
    this.watch = new WatchTrigger<V1Pod>(
      options.kc,
      '/api/v1/pods',
      () => this.core.listPodForAllNamespaces({ labelSelector: options.labelSelector }),
      {
        add: (pod) => {
          this.seen(pod);
        },
        update: (pod) => {
          this.seen(pod);
        },
        delete: (pod) => {
          this.deleted(pod);
        },
      },
      options.labelSelector,
    );
  }

  static async start(options: FakeKubeletOptions): Promise<FakeKubelet> {
    const kubelet = new FakeKubelet(options);
    await kubelet.watch.start();
    return kubelet;
  }

  get description(): string {
    return this.options.runtime.description;
  }

  private seen(pod: V1Pod): void {
    this.options.onPodEvent?.();
    const uid = pod.metadata?.uid ?? '';
    const known = this.runs.get(uid);
    if (known !== undefined) {
      known.update(pod);
      return;
    }
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
    if (pod.metadata?.deletionTimestamp !== undefined) return;
    const node = this.options.node;
    if (node !== undefined && pod.spec?.nodeName !== node.name) return;
    const run = new PodRun(pod, {
      runtime: this.options.runtime,
      imagePolicy: this.options.imagePolicy ?? defaultImagePolicy,
      pullBackoffMs: this.options.pullBackoffMs ?? 300,
      writeStatus: (namespace, name, status) => this.writeStatus(namespace, name, status),
      setPodLog: this.options.setPodLog,
      beforeContainers: this.options.beforeContainers ?? (() => Promise.resolve()),
      report: (message, err) => {
        this.report(message, err);
      },
      ...(node === undefined ? {} : { hostIP: node.ip }),
    });
    this.runs.set(uid, run);
    void run.run().catch((err: unknown) => {
      this.report(`${run.namespace}/${run.name}: run failed`, err);
    });
  }

  private deleted(pod: V1Pod): void {
    this.options.onPodEvent?.();
    const uid = pod.metadata?.uid ?? '';
    const run = this.runs.get(uid);
    if (run === undefined) return;
    this.runs.delete(uid);
    void run.delete();
  }

  private async writeStatus(namespace: string, name: string, status: Record<string, unknown>): Promise<void> {
    try {
      await this.core.patchNamespacedPodStatus({ namespace, name, body: { status } }, mergePatch);
    } catch (err) {
      // A pod deleted meanwhile: nothing to report on.
      if ((err as { code?: number }).code === 404) return;
      throw err;
    }
  }

  private report(message: string, err?: unknown): void {
    const why =
      err instanceof Error ? `: ${err.message}` : err === undefined ? '' : `: ${JSON.stringify(err)}`;
    this.errors.push(`${message}${why}`);
  }

  /** Stops watching, kills every pod's processes and removes their networks. */
  async stop(): Promise<void> {
    await this.watch.stop();
    const runs = [...this.runs.values()];
    this.runs.clear();
    await Promise.all(runs.map((r) => r.delete()));
  }
}

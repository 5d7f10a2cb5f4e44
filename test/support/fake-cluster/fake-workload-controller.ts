// A FAKE workload controller: for each Deployment, StatefulSet and DaemonSet it creates its pods from the
// pod template (replicas of them; one for a DaemonSet, the FAKE cluster having one node), controlled by
// the workload so the API server's garbage collector removes them with it. That lets plain manifests such
// as examples/ run in the FAKE cluster. Deliberately simple: no ReplicaSets, no rollouts, no scale-down,
// pod names `<workload>-<index>`. A paused Deployment gets no pods: the real Deployment controller only
// scales the ReplicaSets a paused Deployment already has and creates none (kubernetes
// pkg/controller/deployment/deployment_controller.go syncDeployment → sync.go sync →
// getAllReplicaSetsAndSyncRevision(createIfNotExisted=false)); `flowprobe run`'s owner is one.
import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1DaemonSet,
  type V1Deployment,
  type V1Pod,
  type V1StatefulSet,
} from '@kubernetes/client-node';
import { WatchTrigger } from './watch-trigger.js';

type Workload = V1Deployment | V1StatefulSet | V1DaemonSet;

export class FakeWorkloadController {
  readonly errors: Error[] = [];
  private readonly triggers: WatchTrigger<Workload>[];

  constructor(kc: KubeConfig) {
    const apps = kc.makeApiClient(AppsV1Api);
    const core = kc.makeApiClient(CoreV1Api);
    const ensure = (kind: string) => (w: Workload) => {
      this.ensurePods(core, kind, w).catch((err: unknown) => this.errors.push(err as Error));
    };
    const watch = (kind: string, plural: string, list: () => Promise<{ items: Workload[] }>) =>
      new WatchTrigger<Workload>(kc, `/apis/apps/v1/${plural}`, list, {
        add: ensure(kind),
        update: ensure(kind),
      });
    this.triggers = [
      watch('Deployment', 'deployments', () => apps.listDeploymentForAllNamespaces()),
      watch('StatefulSet', 'statefulsets', () => apps.listStatefulSetForAllNamespaces()),
      watch('DaemonSet', 'daemonsets', () => apps.listDaemonSetForAllNamespaces()),
    ];
  }

  async start(): Promise<void> {
    await Promise.all(this.triggers.map((t) => t.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.triggers.map((t) => t.stop()));
  }

  private async ensurePods(core: CoreV1Api, kind: string, w: Workload): Promise<void> {
    const namespace = w.metadata?.namespace ?? 'default';
    const name = w.metadata?.name ?? '';
    if (kind === 'Deployment' && (w.spec as { paused?: boolean } | undefined)?.paused) return;
    const replicas =
      kind === 'DaemonSet' ? 1 : ((w.spec as { replicas?: number } | undefined)?.replicas ?? 1);
    for (let i = 0; i < replicas; i++) {
      const pod: V1Pod = {
        metadata: {
          name: `${name}-${i}`,
          namespace,
          labels: w.spec?.template.metadata?.labels ?? {},
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind,
              name,
              uid: w.metadata?.uid ?? '',
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: w.spec?.template.spec ?? { containers: [] },
      };
      await core.createNamespacedPod({ namespace, body: pod }).catch((err: unknown) => {
        // The pod from an earlier event: the controller is level-triggered, creating is idempotent here.
        if ((err as { code?: number }).code !== 409) throw err;
      });
    }
  }
}

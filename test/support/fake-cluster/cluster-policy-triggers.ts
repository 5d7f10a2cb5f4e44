// When the FAKE CNI must recompute for ClusterNetworkPolicy tiers: a watch of CRDs says when one of the
// network-policy-api kinds starts or stops being served, and a watch of each served kind says when its
// policies change. A kind that is not served is never watched (its path answers 404, and the watch would
// restart for ever).
import {
  ApiextensionsV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
  type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { CLUSTER_POLICY_RESOURCES } from './cluster-snapshot.js';
import { WatchTrigger } from './watch-trigger.js';

export class ClusterPolicyTriggers {
  private readonly crds: WatchTrigger<V1CustomResourceDefinition>;
  private readonly kinds = new Map<string, WatchTrigger<KubernetesObject>>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly changed: () => void,
  ) {
    const api = kc.makeApiClient(ApiextensionsV1Api);
    const onCrd = (crd: V1CustomResourceDefinition, gone: boolean) => {
      this.follow(crd.metadata?.name ?? '', gone);
    };
    this.crds = new WatchTrigger<V1CustomResourceDefinition>(
      kc,
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
      () => api.listCustomResourceDefinition(),
      {
        add: (c) => {
          onCrd(c, false);
        },
        update: (c) => {
          onCrd(c, false);
        },
        delete: (c) => {
          onCrd(c, true);
        },
      },
    );
  }

  start(): Promise<void> {
    return this.crds.start();
  }

  async stop(): Promise<void> {
    await this.crds.stop();
    await Promise.all([...this.kinds.values()].map((t) => t.stop()));
    this.kinds.clear();
  }

  private follow(crdName: string, gone: boolean): void {
    const r = CLUSTER_POLICY_RESOURCES.find((x) => `${x.plural}.${x.group}` === crdName);
    if (r === undefined) return;
    this.changed();
    const running = this.kinds.get(crdName);
    if (gone) {
      this.kinds.delete(crdName);
      void running?.stop();
      return;
    }
    if (running !== undefined) return;
    const custom = this.kc.makeApiClient(CustomObjectsApi);
    const cb = { add: this.changed, update: this.changed, delete: this.changed };
    const trigger = new WatchTrigger<KubernetesObject>(
      this.kc,
      `/apis/${r.group}/${r.version}/${r.plural}`,
      () => custom.listClusterCustomObject(r) as Promise<KubernetesListObject<KubernetesObject>>,
      cb,
    );
    this.kinds.set(crdName, trigger);
    void trigger.start().catch(() => undefined);
  }
}

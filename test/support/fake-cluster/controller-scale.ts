/**
 * The FAKE disruption controller's getExpectedScale: the sum of the scales of the controllers of a
 * budget's pods, found the way kubernetes pkg/controller/disruption/disruption.go finds them — its
 * finders in order (ReplicaSet under a Deployment, ReplicaSet, StatefulSet, then any kind through the
 * `scale` subresource; ReplicationControllers are not served by the FAKE API server, so not searched).
 * Workloads are read as the shared informers read them; discovery and scale GETs go through the
 * controller's own client, under its own RBAC. Every failure is an Error whose message is the
 * controller's, which fails the budget's sync. Every finder looks in the pod's namespace (getExpectedScale
 * passes pod.Namespace), so a cluster-scoped controller's namespaced scale path is NotFound: no controller.
 */
import { ApiCallError, type IdentityClient } from './identity-client.js';

export interface ControllerRef {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface OwnedPod {
  metadata: { name?: string; namespace?: string; ownerReferences?: ControllerRef[] };
}

interface Workload {
  metadata: { uid?: string; ownerReferences?: ControllerRef[] };
  spec?: { replicas?: number };
}

interface ApiResource {
  name: string;
  kind: string;
  group?: string;
  version?: string;
}

type Found = { uid: string; scale: number } | undefined;

const controllerOf = (obj: { metadata: { ownerReferences?: ControllerRef[] } }) =>
  obj.metadata.ownerReferences?.find((r) => r.controller === true);

function groupVersion(apiVersion: string): { group: string; version: string } {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return { group: group!, version: version! };
}

/** verifyGroupKind */
function isKind(ref: ControllerRef, kind: string, groups: string[]): boolean {
  return ref.kind === kind && groups.includes(groupVersion(ref.apiVersion).group);
}

const apiRoot = (group: string, version: string) =>
  group === '' ? `/api/${version}` : `/apis/${group}/${version}`;

export class ControllerScales {
  constructor(
    /** The shared informers' view (kube-controller-manager's own identity). */
    private readonly informers: IdentityClient,
    /** The controller's client: system:serviceaccount:kube-system:disruption-controller. */
    private readonly client: IdentityClient,
  ) {}

  /** getExpectedScale: pods without a controller are unmanaged (an event, not an error). */
  async expectedScale(namespace: string, pods: OwnedPod[]): Promise<number> {
    const scales = new Map<string, number>();
    for (const pod of pods) {
      const ref = controllerOf(pod);
      if (!ref || scales.has(ref.uid)) continue;
      const found = await this.find(ref, namespace);
      if (!found) throw new Error(`found no controllers for pod "${pod.metadata.name ?? ''}"`);
      scales.set(found.uid, found.scale);
    }
    return [...scales.values()].reduce((a, b) => a + b, 0);
  }

  private async find(ref: ControllerRef, namespace: string): Promise<Found> {
    const finders: ((ref: ControllerRef, namespace: string) => Promise<Found>)[] = [
      (r, ns) => this.deploymentOfReplicaSet(r, ns),
      (r, ns) => this.replicaSet(r, ns),
      (r, ns) => this.statefulSet(r, ns),
      (r, ns) => this.scaleController(r, ns),
    ];
    for (const finder of finders) {
      const found = await finder(ref, namespace);
      if (found) return found;
    }
    return undefined;
  }

  /** A lister read: NotFound is "not this finder" (the only error a lister gives). */
  private async workload(plural: string, namespace: string, name: string): Promise<Workload | undefined> {
    try {
      return await this.informers.get<Workload>(`/apis/apps/v1/namespaces/${namespace}/${plural}/${name}`);
    } catch (err) {
      if (err instanceof ApiCallError && err.code === 404) return undefined;
      throw err;
    }
  }

  private async ownReplicaSet(ref: ControllerRef, namespace: string): Promise<Workload | undefined> {
    if (!isKind(ref, 'ReplicaSet', ['apps', 'extensions'])) return undefined;
    const rs = await this.workload('replicasets', namespace, ref.name);
    return rs?.metadata.uid === ref.uid ? rs : undefined;
  }

  /** getPodDeployment: apps/v1 defaults replicas to 1. */
  private async deploymentOfReplicaSet(ref: ControllerRef, namespace: string): Promise<Found> {
    const rs = await this.ownReplicaSet(ref, namespace);
    const owner = rs && controllerOf(rs);
    if (!owner || !isKind(owner, 'Deployment', ['apps', 'extensions'])) return undefined;
    const deployment = await this.workload('deployments', namespace, owner.name);
    if (deployment?.metadata.uid !== owner.uid) return undefined;
    return { uid: owner.uid, scale: deployment.spec?.replicas ?? 1 };
  }

  /** getPodReplicaSet: a ReplicaSet that no Deployment controls. */
  private async replicaSet(ref: ControllerRef, namespace: string): Promise<Found> {
    const rs = await this.ownReplicaSet(ref, namespace);
    if (!rs || controllerOf(rs)?.kind === 'Deployment') return undefined;
    return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
  }

  private async statefulSet(ref: ControllerRef, namespace: string): Promise<Found> {
    if (!isKind(ref, 'StatefulSet', ['apps'])) return undefined;
    const sts = await this.workload('statefulsets', namespace, ref.name);
    if (sts?.metadata.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: sts.spec?.replicas ?? 1 };
  }

  /** getScaleController: the REST mapping and the Scale kind both come from discovery. */
  private async scaleController(ref: ControllerRef, namespace: string): Promise<Found> {
    const { group, version } = groupVersion(ref.apiVersion);
    const resources = await this.discovery(group, version);
    const plural = resources.find((r) => r.kind === ref.kind && !r.name.includes('/'))?.name;
    if (!plural) throw new Error(`no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`);
    const gvr = `${group}/${version}, Resource=${plural}`;
    // client-go scale/util.go, discoveryScaleResolver.ScaleForResource.
    if (!resources.some((r) => r.name === `${plural}/scale`))
      throw new Error(`could not find scale subresource for ${gvr} in discovery information`);
    let scale: { metadata: { uid?: string }; spec?: { replicas?: number } };
    try {
      scale = await this.client.get(
        `${apiRoot(group, version)}/namespaces/${namespace}/${plural}/${ref.name}/scale`,
      );
    } catch (err) {
      // A 404 after the resolver found the subresource is a missing object: implementsScale holds, so
      // this finder found nothing (and the pod has no controller).
      if (err instanceof ApiCallError && err.code === 404) return undefined;
      throw err;
    }
    if (scale.metadata.uid !== ref.uid) return undefined;
    return { uid: ref.uid, scale: scale.spec?.replicas ?? 0 };
  }

  private async discovery(group: string, version: string): Promise<ApiResource[]> {
    const list = await this.client.get<{ resources: ApiResource[] }>(apiRoot(group, version));
    return list.resources;
  }
}

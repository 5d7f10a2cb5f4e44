// A cluster as the manifests describe it: namespaces, pods (and templates standing for pods), services,
// NetworkPolicies, cluster-scoped policies (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy) and ConnectivityTests — indexed once for the lookups every flow makes.
//
// An object without metadata.namespace is in `default`, as `kubectl apply` would put it with a default
// context. Kinds explain does not need (ConfigMaps, Ingresses, ...) are skipped silently.
import { API_VERSION, GROUP, KIND, type ConnectivityTest } from '../api/types.js';
import type { SourcedObject } from '../manifest/load.js';
import type { ClusterPolicy, NamespaceInfo, NetworkPolicy, PodEndpoint } from '../policy/index.js';
import { ExplainInputError, type InputProblem } from './errors.js';
import { isRecord, Problems, type Json } from './narrow.js';
import { clusterPolicyKind, readClusterPolicy } from './read-cluster-policy.js';
import { readNetworkPolicy } from './read-network-policy.js';
import { outOfModelKind, readOutOfModel, type KindInfo } from './read-out-of-model.js';
import type { OutOfModelPolicy, OutOfModelRef } from '../policy/out-of-model/index.js';
import { readService, type ServiceInfo } from './read-service.js';
import { isWorkloadKind, readWorkload } from './read-workload.js';

export interface SourcedTest {
  file: string;
  index: number;
  test: ConnectivityTest;
}

export interface ClusterSnapshot {
  namespaces: NamespaceInfo[];
  pods: PodEndpoint[];
  services: ServiceInfo[];
  policies: NetworkPolicy[];
  /** Read by apiVersion + kind from raw objects, as the operator's caches hand them over. */
  clusterPolicies: ClusterPolicy[];
  tests: SourcedTest[];
  /** CNI-specific policies (Cilium, Calico, Antrea): detected, not evaluated (src/policy/out-of-model). */
  outOfModel: OutOfModelPolicy[];
  /** Calico's staged policies: reported, never enforced. */
  stagedPolicies: OutOfModelRef[];
  podsByNamespace: Map<string, PodEndpoint[]>;
  servicesByKey: Map<string, ServiceInfo>;
  servicesByIp: Map<string, ServiceInfo>;
}

/** The ConnectivityTest validator of src/api (field paths and messages). */
export type TestValidator = (obj: unknown) => InputProblem[];

export interface SnapshotResult {
  snapshot: ClusterSnapshot;
  /** Every invalid object, with its problems; explain refuses to predict from an invalid input. */
  errors: ExplainInputError[];
}

export function buildSnapshot(objects: readonly SourcedObject[], validate: TestValidator): SnapshotResult {
  const snap: ClusterSnapshot = {
    namespaces: [],
    pods: [],
    services: [],
    policies: [],
    clusterPolicies: [],
    tests: [],
    outOfModel: [],
    stagedPolicies: [],
    podsByNamespace: new Map(),
    servicesByKey: new Map(),
    servicesByIp: new Map(),
  };
  const errors: ExplainInputError[] = [];
  for (const { file, index, object } of objects) {
    const obj = object as Json;
    const meta = isRecord(obj.metadata) ? obj.metadata : {};
    const name = typeof meta.name === 'string' ? meta.name : '(unnamed)';
    const namespace = typeof meta.namespace === 'string' ? meta.namespace : 'default';
    const clusterScoped =
      object.kind === 'Namespace' ||
      outOfModelKind(object.apiVersion, object.kind)?.namespaced === false ||
      clusterPolicyKind(object.kind, object.apiVersion) !== undefined;
    const label = `${object.kind} ${clusterScoped ? name : `${namespace}/${name}`}`;
    const p = new Problems();
    if (!add(snap, object.kind, object.apiVersion, obj, { file, index, namespace, name }, p, validate))
      continue;
    if (p.list.length > 0) errors.push(new ExplainInputError({ file, index, object: label }, p.list));
  }
  for (const pod of snap.pods) {
    const list = snap.podsByNamespace.get(pod.namespace);
    if (list === undefined) snap.podsByNamespace.set(pod.namespace, [pod]);
    else list.push(pod);
  }
  for (const s of snap.services) {
    snap.servicesByKey.set(`${s.namespace}/${s.name}`, s);
    for (const ip of s.clusterIPs ?? (s.clusterIP === undefined ? [] : [s.clusterIP]))
      snap.servicesByIp.set(ip, s);
  }
  return { snapshot: snap, errors };
}

interface Where {
  file: string;
  index: number;
  namespace: string;
  name: string;
}

/** Adds one object to the snapshot; false when its kind is not one explain reads. */
function add(
  snap: ClusterSnapshot,
  kind: string,
  apiVersion: string,
  obj: Json,
  w: Where,
  p: Problems,
  validate: TestValidator,
): boolean {
  const clusterKind = clusterPolicyKind(kind, apiVersion);
  const outKind = outOfModelKind(apiVersion, kind);
  if (kind === 'Namespace') {
    const meta = isRecord(obj.metadata) ? obj.metadata : {};
    snap.namespaces.push({ name: w.name, labels: p.stringMap(meta.labels, 'metadata.labels') });
  } else if (kind === 'NetworkPolicy' && apiVersion.startsWith('networking.k8s.io/')) {
    snap.policies.push(readNetworkPolicy(obj, w.namespace, w.name, p));
  } else if (clusterKind !== undefined) {
    snap.clusterPolicies.push(readClusterPolicy(obj, clusterKind, w.name, p));
  } else if (kind === 'Service') {
    snap.services.push(readService(obj, w.namespace, w.name, p));
  } else if (isWorkloadKind(kind)) {
    snap.pods.push(readWorkload(obj, kind, w.namespace, w.name, p));
  } else if (kind === KIND && apiVersion.startsWith(`${GROUP}/`)) {
    if (apiVersion !== API_VERSION) p.add('apiVersion', `must be ${API_VERSION}`);
    for (const problem of validate(obj)) p.add(problem.path, problem.message);
    if (p.list.length === 0)
      snap.tests.push({ file: w.file, index: w.index, test: withNamespace(obj, w.namespace) });
  } else if (outKind !== undefined) {
    addOutOfModel(snap, outKind, { apiVersion, kind, namespace: w.namespace, name: w.name }, obj, p);
  } else {
    return false;
  }
  return true;
}

function addOutOfModel(
  snap: ClusterSnapshot,
  info: KindInfo,
  ref: Parameters<typeof readOutOfModel>[2],
  obj: Json,
  p: Problems,
): void {
  const read = readOutOfModel(info, obj, ref, p);
  if ('policy' in read) snap.outOfModel.push(read.policy);
  else if ('staged' in read) snap.stagedPolicies.push(read.staged);
}

function withNamespace(obj: Json, namespace: string): ConnectivityTest {
  const test = obj as unknown as ConnectivityTest;
  return { ...test, metadata: { ...test.metadata, namespace } };
}

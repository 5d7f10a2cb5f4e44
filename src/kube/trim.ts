// What the caches keep of each object (pure). Every cached object loses `metadata.managedFields` and the
// `kubectl.kubernetes.io/last-applied-configuration` annotation (a second copy of the object), as
// controller-runtime's caches strip managed fields: nothing here reads them, and on a real API server they
// are often the larger part of an object. Pods, the one kind a cluster has thousands of, keep only the
// fields the operator reads: probe pods (PodObject in objects.ts) their labels and owners, the service
// account, host networking, container ports, and the status that tells a probe pod's progress; every other
// pod only what prediction and planning read (compact-pod.ts). The operator's heap is capped
// (deploy/deployment.yaml), so the cache must grow with what is used, not with what the API sends.
// Policies of the discovered kinds (policy-kinds.ts) keep their spec, which prediction reads, and lose their
// status; CRDs, watched only to notice policy kinds coming and going, are read as metadata only and keep
// their name (a CRD's schema is often hundreds of kilobytes).
import { isProbePod } from '../plan/labels.js';
import { compactPod, type CachedPod } from './compact-pod.js';
import type { Interner } from './interner.js';
import type { PodObject, WireObject } from './objects.js';
import { apiVersionOf, type PolicyKind } from './policy-kinds.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export function trimObject<T extends WireObject>(obj: T): T {
  const { managedFields: _managed, ...metadata } = obj.metadata as T['metadata'] & {
    managedFields?: unknown;
  };
  const annotations = metadata.annotations;
  if (annotations && LAST_APPLIED in annotations) {
    const { [LAST_APPLIED]: _lastApplied, ...rest } = annotations;
    metadata.annotations = rest;
  }
  return { ...obj, metadata };
}

/**
 * What the pod cache keeps of a pod: a probe pod as trimPod keeps it (the operator reads its progress,
 * owners and deadline; there are few), every other pod compact (compact-pod.ts).
 */
export function cachedPod(pod: PodObject, interner: Interner): CachedPod {
  return isProbePod(pod.metadata.labels) ? trimPod(pod) : compactPod(pod, interner);
}

export function trimPod(pod: PodObject): PodObject {
  const { metadata } = trimObject(pod);
  const out: PodObject = { metadata };
  if (pod.apiVersion !== undefined) out.apiVersion = pod.apiVersion;
  if (pod.kind !== undefined) out.kind = pod.kind;
  if (pod.spec) {
    const { hostNetwork, serviceAccountName, containers, nodeName } = pod.spec;
    out.spec = definedOnly({
      hostNetwork,
      serviceAccountName,
      nodeName,
      containers: containers?.map(({ name, ports }) => definedOnly({ name, ports })),
    });
  }
  if (pod.status) {
    const { phase, podIP, reason, message, conditions, containerStatuses } = pod.status;
    out.status = definedOnly({
      phase,
      podIP,
      reason,
      message,
      conditions: conditions?.map(({ type, status, reason, message }) =>
        definedOnly({ type, status, reason, message }),
      ),
      containerStatuses: containerStatuses?.map(({ name, state }) => definedOnly({ name, state })),
    });
  }
  return out;
}

/**
 * A policy of a discovered kind as prediction reads it: apiVersion and kind set (a list's items may lack
 * them, and the snapshot tells kinds apart by both: Calico's and Antrea's NetworkPolicy are not
 * networking.k8s.io's), metadata and spec; the status (conditions an enforcer writes) is dropped.
 */
export function trimPolicy(kind: PolicyKind): (obj: WireObject) => WireObject {
  const apiVersion = apiVersionOf(kind);
  return (obj) => {
    const { metadata } = trimObject(obj);
    return definedOnly({ apiVersion, kind: kind.kind, metadata, spec: obj.spec });
  };
}

/**
 * A CRD as the operator keeps it: its name (`<plural>.<group>`, which says the group) and resourceVersion.
 * It arrives as metadata only (PartialObjectMetadata, cluster.ts), whose annotations can still hold a
 * second copy of the whole CRD (kubectl's last-applied-configuration).
 */
export function trimCrd(crd: WireObject): WireObject {
  const { name, uid, resourceVersion } = crd.metadata;
  return { metadata: definedOnly({ name, uid, resourceVersion }) };
}

/** The object without its undefined fields, as JSON would carry it. */
function definedOnly<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

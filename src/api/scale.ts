// The ConnectivityTest's `scale` subresource, and the always-0 spec field it reads. It exists for
// PodDisruptionBudgets, not for scaling (docs/probe-pods-and-pdbs.md):
//
// A probe pod carries its source's labels and a controller owner reference to its ConnectivityTest. The
// disruption controller sizes a PDB with `maxUnavailable` or a percentage `minAvailable` by reading the
// scale of every selected pod's controller (kubernetes pkg/controller/disruption/disruption.go,
// getExpectedScale → getScaleController). Without a scale subresource that read fails ("could not find
// scale subresource ... in discovery information", client-go scale/util.go), the PDB's sync fails and
// failSafe sets disruptionsAllowed to 0: node drains block while a probe pod exists. With it, the
// controller reads a scale of 0, and the never-ready probe pod adds nothing to currentHealthy, so the PDB
// computes exactly what it would without the probe pod.
//
// The field must be present, not merely absent-means-0: apiextensions-apiserver answers a scale GET whose
// specReplicasPath is missing with 500 "the spec replicas field ... does not exist" (pkg/registry/
// customresource/etcd.go, ScaleREST.Get). The default makes it present, also on objects stored before
// this field existed (structural defaults apply when reading from etcd). `maximum: 0` makes
// `kubectl scale ctest X --replicas=N` (N > 0) a 422 instead of a silent change.
import type { SchemaNode } from './schema-node.js';

export const REPLICAS_FIELD = 'replicas';

export const REPLICAS_SCHEMA: SchemaNode = {
  type: 'integer',
  description:
    'Always 0: a ConnectivityTest has no replicas. Read through the scale subresource by the ' +
    'disruption controller, so PodDisruptionBudgets over the labels a probe pod borrows keep computing.',
  minimum: 0,
  maximum: 0,
  default: 0,
};

/** apiextensions.k8s.io/v1 CustomResourceSubresourceScale. */
export const SCALE_SUBRESOURCE = {
  specReplicasPath: `.spec.${REPLICAS_FIELD}`,
  // Never written: a scale's status.replicas is then 0, which is what a ConnectivityTest has.
  statusReplicasPath: `.status.${REPLICAS_FIELD}`,
};

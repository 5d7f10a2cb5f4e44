// The object that controls `flowprobe run`'s probe pods in a namespace (pure): a paused apps/v1 Deployment
// with `replicas: 0` that never creates a pod. Why a Deployment (docs/probe-pods-and-pdbs.md):
// - a PodDisruptionBudget over the labels a probe pod borrows reads the scale of the pod's controller; a
//   Deployment that controls a pod directly is not found by the ReplicaSet/StatefulSet finders, so the
//   disruption controller reads `deployments/scale` and gets 0 (kubernetes pkg/controller/disruption/
//   disruption.go, getPodDeployment only follows a ReplicaSet, then getScaleController). A ConfigMap has
//   no scale, and every such budget failed its sync while a run's probe pod existed;
// - the Deployment controller manages ReplicaSets, never pods, and a paused Deployment without one creates
//   none (pkg/controller/deployment/deployment_controller.go syncDeployment → sync.go sync →
//   getAllReplicaSetsAndSyncRevision(createIfNotExisted=false));
// - its pods carry a controller reference, which no ReplicaSet, StatefulSet or Job adopts past, and
//   deleting the Deployment garbage-collects them.
import { EXPIRES_AT_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL, RUN_ID_LABEL } from './labels.js';

/** The prefix of the owners' names. */
export const OWNER_PREFIX = 'flowprobe-run-';

export interface RunOwnerInput {
  namespace: string;
  runId: string;
  /** The probe image: a template needs a container, and this one is never started. */
  image: string;
  /** The run's deadline (RFC 3339), for reapers. */
  expiresAt: string;
}

/** The subset of an apps/v1 Deployment this module builds; the kube edge sends it as is. */
export interface RunOwnerManifest {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: {
    generateName: string;
    namespace: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: Record<string, unknown>;
}

export function runOwnerDeployment(input: RunOwnerInput): RunOwnerManifest {
  // Only this run's probe pods carry its run id; the selector adopts nothing (no ReplicaSet ever exists).
  const podLabels = { [RUN_ID_LABEL]: input.runId };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      generateName: OWNER_PREFIX,
      namespace: input.namespace,
      labels: { [MANAGED_BY_LABEL]: MANAGED_BY, [RUN_ID_LABEL]: input.runId },
      annotations: { [EXPIRES_AT_ANNOTATION]: input.expiresAt },
    },
    spec: {
      replicas: 0,
      paused: true,
      revisionHistoryLimit: 0,
      selector: { matchLabels: podLabels },
      template: { metadata: { labels: podLabels }, spec: neverStartedPodSpec(input.image) },
    },
  };
}

/** Pod Security `restricted`, so that admission warns about nothing, though no pod is ever made from it. */
function neverStartedPodSpec(image: string): Record<string, unknown> {
  return {
    automountServiceAccountToken: false,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'never-started',
        image,
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
  };
}

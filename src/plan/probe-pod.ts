// The manifest of one probe pod (pure). One pod per identity per run (DESIGN.md, "Probe pods"): it carries
// the source's labels so that egress policies select it exactly as they select the source, and it must
// not disturb the workload whose labels it borrows.
import { API_VERSION, KIND } from '../api/types.js';
import {
  EXPIRES_AT_ANNOTATION,
  NEVER_READY_GATE,
  PLACEMENT_ANNOTATION,
  RUN_ID_LABEL,
  TEST_LABEL,
  testLabelValue,
} from './labels.js';
import { nodeAffinity, type PlacementSlot } from './node-placement.js';
import { probeResources } from './probe-resources.js';

/** The object that controls the probe pod: its ConnectivityTest, or `flowprobe run`'s temporary owner. */
export interface PodOwner {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  /**
   * A temporary owner's deadline (RFC 3339), copied onto the pod: a reaper that cannot read the owner
   * (the operator reads no Deployments) still knows when the pod is a leftover.
   */
  expiresAt?: string;
}

export interface ProbePodInput {
  test: { name: string; namespace: string; uid: string };
  /** Default: the ConnectivityTest itself. */
  owner?: PodOwner;
  runId: string;
  /** The identity: labels copied from a running source pod, or the test's explicit label set. */
  identityLabels: Record<string, string>;
  /** The source's service account (without a token); absent: the namespace's `default`. */
  serviceAccountName?: string;
  /** A short, stable name of the identity, for the pod's generateName. */
  identityName: string;
  image: string;
  /** The probe script and its arguments, as an argv: never shell text. */
  command: string[];
  /** Hard bound on the pod's life; the kubelet kills it after this (activeDeadlineSeconds). */
  deadlineSeconds: number;
  /** How many probes the command runs: the container's memory and CPU follow it (probe-resources.ts). */
  probeCount: number;
  /** The flows' placement: required node affinity (node-placement.ts); absent: anywhere. */
  slot?: PlacementSlot;
}

/** A non-root user that the busybox image can run as (`nobody`). */
const NOBODY = 65534;

/** The subset of a core/v1 Pod this module builds; the kube edge sends it as is. */
export interface ProbePodManifest {
  apiVersion: 'v1';
  kind: 'Pod';
  metadata: {
    generateName: string;
    namespace: string;
    labels: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences: {
      apiVersion: string;
      kind: string;
      name: string;
      uid: string;
      controller: boolean;
      blockOwnerDeletion: boolean;
    }[];
  };
  spec: Record<string, unknown>;
}

export function probePod(input: ProbePodInput): ProbePodManifest {
  const { expiresAt, ...owner } = input.owner ?? {
    apiVersion: API_VERSION,
    kind: KIND,
    name: input.test.name,
    uid: input.test.uid,
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName: podNamePrefix(input.test.name, input.identityName),
      namespace: input.test.namespace,
      // The source's labels exactly, plus flowprobe.dev/ ones only: a policy selecting on any borrowed
      // label (even `app.kubernetes.io/managed-by: Helm`) must select the probe as it selects the source.
      labels: {
        ...input.identityLabels,
        [RUN_ID_LABEL]: input.runId,
        // A test's name may be a 253-character DNS subdomain; a label value holds 63.
        [TEST_LABEL]: testLabelValue(input.test.name),
      },
      // Annotations, not labels: no policy selects on them.
      ...annotations(expiresAt, input.slot),
      // A controller owner reference: no ReplicaSet adopts the pod even though it matches its selector,
      // and deleting the test garbage-collects its pods.
      ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
    },
    spec: probePodSpec(input),
  };
}

function annotations(
  expiresAt: string | undefined,
  slot: PlacementSlot | undefined,
): { annotations?: Record<string, string> } {
  const all: Record<string, string> = {
    ...(expiresAt ? { [EXPIRES_AT_ANNOTATION]: expiresAt } : {}),
    // Tells the run that an Unschedulable pod will stay so (its affinity is the reason): pod-progress.ts.
    ...(slot ? { [PLACEMENT_ANNOTATION]: slot.placement } : {}),
  };
  return Object.keys(all).length > 0 ? { annotations: all } : {};
}

function probePodSpec(input: ProbePodInput): Record<string, unknown> {
  return {
    ...(input.slot ? { affinity: nodeAffinity(input.slot.pin) } : {}),
    restartPolicy: 'Never',
    activeDeadlineSeconds: input.deadlineSeconds,
    // The source's service account, which CNI and mesh policies may select by; never its token.
    ...(input.serviceAccountName ? { serviceAccountName: input.serviceAccountName } : {}),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    terminationGracePeriodSeconds: 0,
    readinessGates: [{ conditionType: NEVER_READY_GATE }],
    // Pod Security "restricted": non-root, RuntimeDefault seccomp (the container adds the rest).
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NOBODY,
      runAsGroup: NOBODY,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    containers: [
      {
        name: 'probe',
        image: input.image,
        imagePullPolicy: 'IfNotPresent',
        command: input.command,
        securityContext: {
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        },
        resources: probeResources(input.probeCount),
        terminationMessagePolicy: 'FallbackToLogsOnError',
      },
    ],
  };
}

/** `ctest-<test>-<identity>-`, cut so that the server's 5-character suffix keeps it within 63. */
export function podNamePrefix(testName: string, identityName: string): string {
  const base = `ctest-${testName}-${identityName}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
  return `${base.slice(0, 57).replace(/-+$/, '')}-`;
}

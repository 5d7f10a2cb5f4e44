// One run of one ConnectivityTest: plan → probe pods (one per identity, in parallel under a shared limit)
// → result lines → outcomes → verdicts with predictions. The operator and `flowprobe run` both call this,
// so CI mode cannot drift from the operator.
import type { Flow, FlowResult } from '../api/types.js';
import { withDefaults } from '../api/defaults.js';
import { DEFAULT_STARTUP_GRACE_SECONDS } from '../api/spec-schema.js';
import { isCompactPod, type CachedPod } from '../kube/compact-pod.js';
import { secondPodIp } from '../policy/ip-family.js';
import type { TestObject } from '../kube/objects.js';
import type { LivePod } from '../plan/live-pod.js';
import type { PodOwner } from '../plan/probe-pod.js';
import { planRun, type PlannedIdentity } from '../plan/run-plan.js';
import type { ProbeResult } from '../probe/index.js';
import { executeIdentity } from './execute-identity.js';
import { withFamilies } from './family-flows.js';
import { observationKey } from './family-results.js';
import { flowResults, type FlowObservation } from './flow-results.js';
import type { PodWaiter } from './pod-waiter.js';
import { Predictor, type ClusterObjects } from './predict.js';
import type { ProbePodApi } from './probe-pod-api.js';

/** The detail of a flow that could not be planned (no running source or target pod yet). */
export const NOT_PLANNED = 'not-planned';
/** The detail of a flow the probe cannot carry as written (a spec change is needed, not a retry). */
export const CANNOT_PROBE = 'cannot-probe';

export interface RunDeps {
  api: ProbePodApi;
  waiter: PodWaiter;
  /** Bounds probe pods in flight across every run (p-limit). */
  limit: <T>(fn: () => Promise<T>) => Promise<T>;
  onCleanupError?: (err: unknown) => void;
  onPodFailure?: (detail: string) => void;
  /** Shared across runs, so that the cluster's snapshot is rebuilt only when the cluster changed. */
  predictor?: Predictor;
  /** Stops every run (`flowprobe run`'s deadline, Ctrl-C): no new probe pod, waits end at once. */
  signal?: AbortSignal;
}

/** The cluster as the caches hold it at the moment of the call. */
export type ClusterReader = () => ClusterObjects;

export interface RunInput {
  test: TestObject;
  runId: string;
  /**
   * Read twice: for planning, and again once the probes have finished, so that the prediction comes
   * from the policies the probes met (a test applied before its policies would otherwise be predicted
   * against a cluster without them).
   */
  cluster: ClusterReader;
  image: string;
  startupAllowanceSeconds?: number;
  /** The probe pods' controller; default the ConnectivityTest (which `flowprobe run` does not create). */
  owner?: PodOwner;
}

/**
 * Throws when the API server could not take a probe pod for a reason a retry can fix (unavailable,
 * throttled: the caller retries the whole run later); a pod it refused for good (admission, validation)
 * and a pod that ran badly (never started, timed out, printed garbage) become Error results instead.
 */
export async function runTest(deps: RunDeps, input: RunInput): Promise<FlowResult[]> {
  const { test } = input;
  const namespace = test.metadata.namespace ?? 'default';
  const spec = withDefaults(test.spec);
  const planned = input.cluster();
  const plan = planRun({
    namespace,
    spec,
    pods: podsToPlan(planned, namespace, spec.flows),
    serviceIps: serviceIpsOf(planned.services),
  });
  const observations = new Map<string, FlowObservation>();
  for (const { flow, reason, kind } of plan.unplanned) {
    const detail = kind === 'waiting' ? NOT_PLANNED : CANNOT_PROBE;
    observations.set(flow.name, { flow: flow.name, result: errorResult(flow.name, detail, reason) });
  }
  const graceSeconds = spec.startupGraceSeconds ?? DEFAULT_STARTUP_GRACE_SECONDS;
  const settled = await Promise.allSettled(
    plan.identities.map((identity) =>
      deps.limit(() => probeIdentity(deps, input, namespace, identity, graceSeconds)),
    ),
  );
  settled.forEach((s, i) => {
    if (s.status === 'rejected') return;
    const probes = plan.identities[i]?.probes ?? [];
    probes.forEach((p, j) => {
      const result = s.value[j];
      const key = observationKey(p.flow.name, p.ipFamily);
      if (result) observations.set(key, { flow: p.flow.name, target: p.target, result });
    });
  });
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  const predictor = deps.predictor ?? new Predictor();
  const cluster = input.cluster();
  const common = { refusedMeans: spec.refusedMeans ?? 'Allowed', startupGraceMs: graceSeconds * 1000 };
  const full = { ...test, spec };
  const results = flowResults({
    ...common,
    flows: spec.flows,
    observations,
    predictions: predictor.predict(full, cluster),
  });
  // Flows probed per family: each family's result, predicted in that family, under the flow's entry.
  return withFamilies(results, {
    ...common,
    test: full,
    probes: plan.identities.flatMap((i) => i.probes),
    observations,
    predict: (t) => predictor.predict(t, cluster),
  });
}

/** Each Service's spec.clusterIPs (or its clusterIP), by namespace/name: what dual-stack planning reads. */
function serviceIpsOf(services: ClusterObjects['services']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const svc of services) {
    const spec = (svc as { spec?: { clusterIP?: unknown; clusterIPs?: unknown } }).spec;
    const ips = Array.isArray(spec?.clusterIPs) ? spec.clusterIPs : [spec?.clusterIP];
    const valid = ips.filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
    const { name, namespace = 'default' } = svc.metadata;
    if (valid.length > 0) out.set(`${namespace}/${name}`, valid);
  }
  return out;
}

function probeIdentity(
  deps: RunDeps,
  input: RunInput,
  namespace: string,
  identity: PlannedIdentity,
  startupGraceSeconds: number,
) {
  const { name, uid = '' } = input.test.metadata;
  return executeIdentity(deps.api, deps.waiter, {
    test: { name, namespace, uid },
    runId: input.runId,
    identity,
    ...(input.owner ? { owner: input.owner } : {}),
    image: input.image,
    startupAllowanceSeconds: input.startupAllowanceSeconds ?? 120,
    startupGraceSeconds,
    ...(deps.onCleanupError ? { onCleanupError: deps.onCleanupError } : {}),
    ...(deps.onPodFailure ? { onPodFailure: deps.onPodFailure } : {}),
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
}

/**
 * The pods planning reads: those of the test's namespace (sources) and of its target namespaces, not the
 * whole cluster's.
 */
function podsToPlan(cluster: ClusterObjects, namespace: string, flows: readonly Flow[]): LivePod[] {
  const namespaces = new Set([namespace, ...flows.map((f) => f.to.namespace ?? namespace)]);
  return [...namespaces].flatMap((ns) => cluster.pods.podsIn(ns).map(toLivePod));
}

export function toLivePod(pod: CachedPod): LivePod {
  if (isCompactPod(pod)) {
    return {
      namespace: pod.namespace,
      name: pod.name,
      labels: pod.labels,
      ...(pod.serviceAccountName ? { serviceAccountName: pod.serviceAccountName } : {}),
      ...(pod.phase ? { phase: pod.phase } : {}),
      ...(pod.ip ? { podIP: pod.ip } : {}),
      ...(pod.secondIp ? { secondIp: pod.secondIp } : {}),
      deleting: pod.deleting,
      hostNetwork: pod.hostNetwork === true,
    };
  }
  return {
    namespace: pod.metadata.namespace ?? 'default',
    name: pod.metadata.name,
    labels: pod.metadata.labels ?? {},
    ...(pod.spec?.serviceAccountName ? { serviceAccountName: pod.spec.serviceAccountName } : {}),
    ...(pod.status?.phase ? { phase: pod.status.phase } : {}),
    ...(pod.status?.podIP ? { podIP: pod.status.podIP } : {}),
    ...(secondPodIp(pod.status) ? { secondIp: secondPodIp(pod.status) } : {}),
    deleting: Boolean(pod.metadata.deletionTimestamp),
    hostNetwork: pod.spec?.hostNetwork === true,
  };
}

function errorResult(target: string, detail: string, message: string): ProbeResult {
  return { target, outcome: 'Error', detail, message, durationMs: 0, settled: false, attempts: [] };
}

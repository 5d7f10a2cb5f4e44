// One run of one ConnectivityTest: plan → probe pods (one per identity, in parallel under a shared limit)
// → result lines → outcomes → verdicts with predictions. The operator and `flowprobe run` both call this,
// so CI mode cannot drift from the operator.
import type { Flow, FlowResult } from '../api/types.js';
import { withDefaults } from '../api/defaults.js';
import { DEFAULT_STARTUP_GRACE_SECONDS } from '../api/spec-schema.js';
import type { TestObject } from '../kube/objects.js';
import type { LivePod } from '../plan/live-pod.js';
import type { PodOwner } from '../plan/probe-pod.js';
import { toLivePod } from './live-pods.js';
export { toLivePod };
import { placementInputs } from './placement-inputs.js';
import { serviceIpsOf, servicesWithoutClusterIpOf } from './service-ips.js';
import { planRun, type PlannedIdentity, type PlannedProbe } from '../plan/run-plan.js';
import type { ProbeResult } from '../probe/index.js';
import { executeIdentity, type IdentityResults } from './execute-identity.js';
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
  const cluster = input.cluster();
  const plan = planRun({
    namespace,
    spec,
    pods: podsToPlan(cluster, namespace, spec.flows),
    ...placementInputs(cluster, spec.flows),
    serviceIps: serviceIpsOf(cluster.services),
    servicesWithoutClusterIp: servicesWithoutClusterIpOf(cluster.services),
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
    if (s.status === 'fulfilled') observe(observations, plan.identities[i]?.probes ?? [], s.value);
  });
  const failure = settled.find((s) => s.status === 'rejected');
  if (failure) throw failure.reason;
  const predictor = deps.predictor ?? new Predictor();
  // Read again: the prediction comes from the policies the probes met (RunInput.cluster).
  const met = input.cluster();
  const common = { refusedMeans: spec.refusedMeans ?? 'Allowed', startupGraceMs: graceSeconds * 1000 };
  const full = { ...test, spec };
  const results = flowResults({
    ...common,
    flows: spec.flows,
    observations,
    predictions: predictor.predict(full, met),
  });
  // Flows probed per family: each family's result, predicted in that family, under the flow's entry.
  return withFamilies(results, {
    ...common,
    test: full,
    probes: plan.identities.flatMap((i) => i.probes),
    observations,
    predict: (t) => predictor.predict(t, met),
  });
}

/**
 * One probe pod's results into the flows' observations, keyed per family when a flow is probed in each
 * (family-results.ts `observationKey`); an EachNode flow gathers one per node (in each family).
 */
function observe(
  observations: Map<string, FlowObservation>,
  probes: readonly PlannedProbe[],
  { results, node }: IdentityResults,
): void {
  probes.forEach((p, j) => {
    const result = results[j];
    if (!result) return;
    const ranOn = p.slot?.node ?? node;
    const seen = { flow: p.flow.name, target: p.target, result, ...(ranOn ? { node: ranOn } : {}) };
    const key = observationKey(p.flow.name, p.ipFamily);
    if (p.slot?.placement !== 'EachNode' || ranOn === undefined) {
      observations.set(key, seen);
      return;
    }
    const each = observations.get(key) ?? { ...seen, nodes: [] };
    each.nodes?.push({ ...seen, node: ranOn });
    if (p.slot.sampledFrom !== undefined) each.sampledFrom = p.slot.sampledFrom;
    observations.set(key, each);
  });
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

function errorResult(target: string, detail: string, message: string): ProbeResult {
  return { target, outcome: 'Error', detail, message, durationMs: 0, settled: false, attempts: [] };
}

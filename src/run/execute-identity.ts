// One identity's probe pod, from creation to deletion: run every probe of the identity at once, read the
// result lines from the log, and always delete the pod, whatever happened.
import {
  DEFAULT_MAX_ATTEMPTS,
  parseProbeLog,
  probeCommand,
  settleOptions,
  worstCaseMs,
  type ProbeResult,
} from '../probe/index.js';
import type { PlannedIdentity } from '../plan/run-plan.js';
import { probePod, type PodOwner } from '../plan/probe-pod.js';
import type { PodObject } from '../kube/objects.js';
import type { PodWaiter, WaitResult } from './pod-waiter.js';
import type { ProbePodApi } from './probe-pod-api.js';
import { abortReason } from '../utils/abort-reason.js';

export interface IdentityRun {
  test: { name: string; namespace: string; uid: string };
  owner?: PodOwner;
  runId: string;
  identity: PlannedIdentity;
  image: string;
  /** Time allowed for scheduling and pulling the image, on top of the probes' own worst case. */
  startupAllowanceSeconds: number;
  /** The pod's wait before its first attempt (spec.startupGraceSeconds); part of the worst case. */
  startupGraceSeconds: number;
  /** A probe pod that could not be deleted; the reaper removes it later, by its stale run id. */
  onCleanupError?: (err: unknown) => void;
  /** The pod failed as a whole (never started, deleted, timed out, no readable output): a metric. */
  onPodFailure?: (detail: string) => void;
  /**
   * Stops the run (`flowprobe run`'s deadline, Ctrl-C): no pod is created once it has aborted, and a wait
   * ends at once. The pod is deleted either way.
   */
  signal?: AbortSignal;
}

export const PROBE_CONTAINER = 'probe';
/** The detail of a flow whose run was stopped (deadline, interrupt) before its probe pod finished. */
export const RUN_STOPPED = 'run-stopped';

/** One probe pod's results, in the identity's probe order, and the node it ran on (when known). */
export interface IdentityResults {
  results: ProbeResult[];
  node?: string;
}

export async function executeIdentity(
  api: ProbePodApi,
  waiter: PodWaiter,
  run: IdentityRun,
): Promise<IdentityResults> {
  const { identity } = run;
  const targets = identity.probes.map((p) => p.target);
  const timeout = Math.max(...identity.probes.map((p) => p.spec.timeoutSeconds));
  const settle = settleOptions(timeout, DEFAULT_MAX_ATTEMPTS, run.startupGraceSeconds * 1000);
  const probeCount = identity.probes.length;
  const deadlineSeconds =
    Math.ceil(worstCaseMs(settle, timeout, probeCount) / 1000) + run.startupAllowanceSeconds;
  const manifest = probePod({
    test: run.test,
    ...(run.owner ? { owner: run.owner } : {}),
    runId: run.runId,
    identityLabels: identity.labels,
    ...(identity.serviceAccountName ? { serviceAccountName: identity.serviceAccountName } : {}),
    identityName: identity.name,
    image: run.image,
    command: probeCommand(
      identity.probes.map((p) => p.spec),
      settle,
    ),
    deadlineSeconds,
    probeCount,
    ...(identity.slot ? { slot: identity.slot } : {}),
  });
  if (run.signal?.aborted) {
    const why = `the run stopped before its probe pod was created: ${abortReason(run.signal)}`;
    return { results: targets.map((target) => errorResult(target, RUN_STOPPED, why)) };
  }
  const created = await createOrRefuse(api, run.test.namespace, manifest);
  if (created.refused !== undefined) {
    run.onPodFailure?.(POD_REJECTED);
    return { results: targets.map((target) => errorResult(target, POD_REJECTED, created.refused)) };
  }
  const name = created.pod.metadata.name;
  try {
    // The kubelet enforces the deadline; wait a little longer so that its verdict arrives first. A pod
    // that has not even started within the startup allowance (unschedulable, over quota) is given up then.
    const outcome = await waiter.wait(run.test.namespace, name, (deadlineSeconds + 30) * 1000, {
      startWithinMs: run.startupAllowanceSeconds * 1000,
      ...(run.signal ? { signal: run.signal } : {}),
    });
    const results = await readResults(api, run.test.namespace, name, targets, outcome);
    const first = results[0];
    if (first && results.every((r) => r.outcome === 'Error' && r.detail === first.detail)) {
      run.onPodFailure?.(first.detail);
    }
    const node = nodeOf(outcome);
    return { results, ...(node ? { node } : {}) };
  } finally {
    await api.deletePod(run.test.namespace, name).catch((err: unknown) => run.onCleanupError?.(err));
  }
}

/** The detail of flows whose probe pod the API server refused for good (admission, quota, validation). */
export const POD_REJECTED = 'pod-rejected';

/**
 * The created pod, or why the API server refused it for good: a 4xx other than conflict and throttling
 * (Pod Security admission, ResourceQuota, a label it cannot take) is this identity's problem, reported on
 * its flows. Anything a retry can fix (5xx, 429, no answer) still throws: the run is retried as a whole.
 */
async function createOrRefuse(
  api: ProbePodApi,
  namespace: string,
  manifest: object,
): Promise<{ pod: PodObject; refused?: undefined } | { refused: string }> {
  try {
    return { pod: await api.createPod(namespace, manifest) };
  } catch (err) {
    if ((err as { retryable?: unknown }).retryable !== false) throw err;
    return { refused: `the API server refused the probe pod: ${(err as Error).message}` };
  }
}

/** The node the scheduler bound the pod to, as last seen. */
function nodeOf(outcome: WaitResult): string | undefined {
  const pod = outcome.kind === 'finished' ? outcome.pod : 'last' in outcome ? outcome.last : undefined;
  return pod?.spec?.nodeName;
}

function errorResult(target: string, detail: string, message: string): ProbeResult {
  return { target, outcome: 'Error', detail, message, settled: false, durationMs: 0, attempts: [] };
}

async function readResults(
  api: ProbePodApi,
  namespace: string,
  name: string,
  targets: string[],
  outcome: WaitResult,
): Promise<ProbeResult[]> {
  if (outcome.kind === 'finished' && outcome.progress.state === 'done') {
    // Even a Failed pod (deadline, OOM) may have printed some lines; the parser turns the missing ones
    // into Errors that say what the log held.
    const log = await api.podLog(namespace, name, PROBE_CONTAINER);
    const results = parseProbeLog(log, targets);
    const reason = outcome.progress.reason;
    return reason
      ? results.map((r) => (r.outcome === 'Error' ? { ...r, message: `${reason}: ${r.message}` } : r))
      : results;
  }
  const why = describeFailure(outcome, name);
  return targets.map((target) => errorResult(target, why.detail, why.message));
}

function describeFailure(outcome: WaitResult, name: string): { detail: string; message: string } {
  if (outcome.kind === 'finished' && outcome.progress.state === 'stuck') {
    return { detail: 'pod-not-started', message: `${outcome.progress.reason}: ${outcome.progress.message}` };
  }
  if (outcome.kind === 'deleted')
    return { detail: 'pod-deleted', message: `probe pod ${name} was deleted before it finished` };
  if (outcome.kind === 'not-started') {
    const status = outcome.last?.status;
    const unscheduled = status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    const why = unscheduled?.reason ? `, ${unscheduled.reason}: ${unscheduled.message ?? ''}` : '';
    const seconds = Math.round(outcome.afterMs / 1000);
    const message = `probe pod ${name} did not start within ${seconds}s (${status?.phase ?? 'never seen'}${why})`;
    return { detail: 'pod-not-started', message };
  }
  if (outcome.kind === 'aborted')
    return {
      detail: RUN_STOPPED,
      message: `the run stopped before probe pod ${name} finished: ${outcome.reason}`,
    };
  const last = outcome.kind === 'timeout' && outcome.last?.status;
  const state = last
    ? `${last.phase ?? 'unknown phase'}${last.reason ? `, ${last.reason}` : ''}`
    : 'never seen';
  return { detail: 'pod-timeout', message: `probe pod ${name} did not finish in time (${state})` };
}

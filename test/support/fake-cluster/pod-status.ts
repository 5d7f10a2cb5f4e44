// The pod status a kubelet reports (pure): phase, the four kubelet-owned conditions, container states.
// Conditions the kubelet does not own (readiness gates set by others) are kept as the pod carries them,
// and Ready honours every `spec.readinessGates` entry: a gate whose condition is not True keeps the pod
// from being Ready (pkg/kubelet/status/generate.go).
import type { V1Pod } from '@kubernetes/client-node';
import { NODE_IP } from './addresses.js';

export type ContainerState =
  | { state: 'waiting'; reason: string; message?: string }
  | { state: 'running'; startedAt: string; ready: boolean }
  | {
      state: 'terminated';
      exitCode: number;
      reason: string;
      startedAt: string;
      finishedAt: string;
      message?: string;
    };

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export interface PodView {
  pod: V1Pod;
  phase: Phase;
  startTime: string;
  podIP?: string;
  /** Dual-stack: the second entry of status.podIPs (one address per family, podIP first). */
  podIP6?: string;
  containers: ReadonlyMap<string, ContainerState>;
  /** Pod-level reason and message, e.g. DeadlineExceeded. */
  reason?: string;
  message?: string;
  /** The node's address (default: fake-node-1's). */
  hostIP?: string;
}

const KUBELET_CONDITIONS = new Set(['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']);

type Json = Record<string, unknown>;

export interface Condition {
  type: string;
  status: 'True' | 'False';
  reason?: string;
  message?: string;
}

export function kubeletConditions(v: PodView): Condition[] {
  const states = [...v.containers.values()];
  const terminal = v.phase === 'Succeeded' || v.phase === 'Failed';
  const allReady = states.length > 0 && states.every((s) => s.state === 'running' && s.ready);
  const notReady = states
    .map((s, i) => (s.state === 'running' && s.ready ? '' : (v.pod.spec?.containers[i]?.name ?? '')))
    .filter((n) => n !== '');
  const containersReady: Condition = allReady
    ? { type: 'ContainersReady', status: 'True' }
    : {
        type: 'ContainersReady',
        status: 'False',
        reason: terminal ? 'PodCompleted' : 'ContainersNotReady',
        ...(terminal ? {} : { message: `containers with unready status: [${notReady.join(' ')}]` }),
      };
  const gates = (v.pod.spec?.readinessGates ?? []).map((g) => g.conditionType);
  const existing = v.pod.status?.conditions ?? [];
  const openGates = gates.filter((g) => !existing.some((c) => c.type === g && c.status === 'True'));
  let ready: Condition = { type: 'Ready', status: 'True' };
  if (!allReady) ready = { ...containersReady, type: 'Ready' };
  else if (openGates.length > 0) {
    const gate = openGates[0] ?? '';
    const found = existing.find((c) => c.type === gate);
    ready = {
      type: 'Ready',
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      // kubelet's texts (pkg/kubelet/status/generate.go)
      message:
        found === undefined
          ? `corresponding condition of pod readiness gate "${gate}" does not exist.`
          : `the status of pod readiness gate "${gate}" is not "True", but ${found.status}`,
    };
  }
  const initialized: Condition = { type: 'Initialized', status: 'True' };
  return [{ type: 'PodScheduled', status: 'True' }, initialized, containersReady, ready];
}

/** The whole `status` for a merge patch; `times` keeps each condition's lastTransitionTime stable. */
export function podStatus(v: PodView, times: Map<string, { status: string; at: string }>, now: string): Json {
  const own = kubeletConditions(v).map((c) => {
    const prev = times.get(c.type);
    const at = prev !== undefined && prev.status === c.status ? prev.at : now;
    times.set(c.type, { status: c.status, at });
    return { ...c, lastProbeTime: null, lastTransitionTime: at };
  });
  const others = (v.pod.status?.conditions ?? []).filter((c) => !KUBELET_CONDITIONS.has(c.type));
  const status: Json = {
    phase: v.phase,
    conditions: [...own, ...others],
    hostIP: v.hostIP ?? NODE_IP,
    hostIPs: [{ ip: v.hostIP ?? NODE_IP }],
    startTime: v.startTime,
    qosClass: 'BestEffort',
    containerStatuses: (v.pod.spec?.containers ?? []).map((c) => containerStatus(c.name, c.image ?? '', v)),
  };
  if (v.podIP !== undefined) {
    status.podIP = v.podIP;
    status.podIPs = v.podIP6 === undefined ? [{ ip: v.podIP }] : [{ ip: v.podIP }, { ip: v.podIP6 }];
  }
  if (v.reason !== undefined) status.reason = v.reason;
  if (v.message !== undefined) status.message = v.message;
  return status;
}

function containerStatus(name: string, image: string, v: PodView): Json {
  const s = v.containers.get(name) ?? { state: 'waiting', reason: 'ContainerCreating' };
  const base: Json = { name, image, imageID: '', restartCount: 0, lastState: {} };
  if (s.state === 'waiting') {
    const waiting: Json = { reason: s.reason };
    if (s.message !== undefined) waiting.message = s.message;
    return { ...base, ready: false, started: false, state: { waiting } };
  }
  const containerID = `fake://${v.pod.metadata?.uid ?? ''}/${name}`;
  if (s.state === 'running') {
    return {
      ...base,
      containerID,
      ready: s.ready,
      started: true,
      state: { running: { startedAt: s.startedAt } },
    };
  }
  const { exitCode, reason, startedAt, finishedAt, message } = s;
  const terminated: Json = { exitCode, reason, startedAt, finishedAt, containerID };
  if (message !== undefined) terminated.message = message;
  return { ...base, containerID, ready: false, started: false, state: { terminated } };
}

/**
 * FallbackToLogsOnError: a failed container without a termination-log file reports the tail of its log
 * (kubelet: the last 80 lines, at most 2048 bytes).
 */
export function terminationMessage(
  policy: string | undefined,
  exitCode: number,
  log: string,
): string | undefined {
  if (policy !== 'FallbackToLogsOnError' || exitCode === 0) return undefined;
  const lines = log.replace(/\n$/, '').split('\n').slice(-80).join('\n');
  return lines.length > 2048 ? lines.slice(-2048) : lines;
}

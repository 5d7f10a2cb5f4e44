// Pods, and workloads whose pod templates stand for their pods. A template has no IP (its pods' IPs are
// not in any manifest), so an ipBlock that would decide a flow to or from it yields Unknown, not a guess.
// One template stands for all replicas: they share labels and ports, so policy treats them alike.
import type { ContainerPort, PodEndpoint } from '../policy/index.js';
import { secondPodIp } from '../policy/ip-family.js';
import { isRecord, type Json, type Problems } from './narrow.js';

/** Kinds whose spec.template is a pod template; CronJob nests it one level deeper. */
const TEMPLATE_KINDS = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'ReplicationController',
]);

export function isWorkloadKind(kind: string): boolean {
  return kind === 'Pod' || kind === 'CronJob' || TEMPLATE_KINDS.has(kind);
}

/** The pod (or the template standing for pods) of a Pod or workload object. */
export function readWorkload(
  obj: Json,
  kind: string,
  namespace: string,
  name: string,
  p: Problems,
): PodEndpoint {
  if (kind === 'Pod') {
    const meta = p.record(obj.metadata, 'metadata') ?? {};
    const status = p.record(obj.status, 'status') ?? {};
    const ip = p.string(status.podIP, 'status.podIP');
    const secondIp = ip === undefined ? undefined : secondPodIp({ podIP: ip, podIPs: status.podIPs });
    const serving = podServing(meta, obj.status);
    return readPodSpec(
      obj.spec,
      'spec',
      {
        namespace,
        name,
        labels: p.stringMap(meta.labels, 'metadata.labels'),
        ...(ip === undefined ? {} : { ip }),
        ...(secondIp === undefined ? {} : { secondIp }),
        ...(serving === undefined ? {} : { serving }),
      },
      p,
    );
  }
  let path = 'spec.template';
  let template = p.record(p.record(obj.spec, 'spec')?.template, path);
  if (kind === 'CronJob') {
    path = 'spec.jobTemplate.spec.template';
    const jobSpec = p.record(
      p.record(p.record(obj.spec, 'spec')?.jobTemplate, 'spec.jobTemplate')?.spec,
      'spec.jobTemplate.spec',
    );
    template = p.record(jobSpec?.template, path);
  }
  if (template === undefined) p.add(path, 'is required');
  const meta = p.record(template?.metadata, `${path}.metadata`) ?? {};
  const labels = p.stringMap(meta.labels, `${path}.metadata.labels`);
  // A workload scaled to zero stands for no pod at all: nothing behind a Service can serve.
  const scaledToZero = isRecord(obj.spec) && obj.spec.replicas === 0;
  return readPodSpec(
    template?.spec,
    `${path}.spec`,
    { namespace, name: `${kind.toLowerCase()}/${name}`, labels, ...(scaledToZero ? { serving: false } : {}) },
    p,
  );
}

/**
 * A pod whose status has conditions (as the API serves it) is a Service endpoint only when Ready and not
 * terminating (EndpointSlice `ready`). Without conditions, a Pending, Succeeded or Failed pod serves nothing;
 * otherwise (e.g. a manifest that only gives explain a podIP) readiness is unknown.
 */
function podServing(meta: Json, status: unknown): boolean | undefined {
  if (!isRecord(status)) return undefined;
  if (meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null) return false;
  if (!Array.isArray(status.conditions)) {
    const phase = status.phase;
    return phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed' ? false : undefined;
  }
  return status.conditions.some((c) => isRecord(c) && c.type === 'Ready' && c.status === 'True');
}

function readPodSpec(
  v: unknown,
  path: string,
  base: Omit<PodEndpoint, 'kind' | 'ports'>,
  p: Problems,
): PodEndpoint {
  const spec = p.record(v, path) ?? {};
  const ports: ContainerPort[] = [];
  (p.array(spec.containers, `${path}.containers`) ?? []).forEach((c, i) => {
    const cpath = `${path}.containers[${i}]`;
    (p.array(p.record(c, cpath)?.ports, `${cpath}.ports`) ?? []).forEach((port, j) => {
      const cp = readContainerPort(port, `${cpath}.ports[${j}]`, p);
      if (cp !== undefined) ports.push(cp);
    });
  });
  const pod: PodEndpoint = { kind: 'pod', ...base, ports };
  if (spec.hostNetwork === true) pod.hostNetwork = true;
  return pod;
}

function readContainerPort(v: unknown, path: string, p: Problems): ContainerPort | undefined {
  const r = p.record(v, path);
  if (r === undefined) return undefined;
  const containerPort = p.int(r.containerPort, `${path}.containerPort`);
  if (containerPort === undefined) return undefined;
  const cp: ContainerPort = { containerPort };
  const name = p.string(r.name, `${path}.name`);
  const protocol = p.protocol(r.protocol, `${path}.protocol`);
  if (name !== undefined) cp.name = name;
  if (protocol !== undefined) cp.protocol = protocol;
  return cp;
}

// A cached pod as prediction and planning read it, and nothing else: at 100k pods the cache is the
// operator's heap (bench/heap-per-pod.bench.ts). What is kept, and who reads it:
// - namespace, name, labels: selectors (planning, prediction); labels are an interned, frozen set, so the
//   pods of one ReplicaSet share one object (interner.ts);
// - serviceAccountName: a probe runs as its source's account (plan/run-plan.ts);
// - the container ports (name, number, protocol): named ports in policies and Service targetPorts;
// - podIP, packed into a small integer when it is IPv4: ipBlock rules, `to.ip` targets, probe targets;
//   on a dual-stack pod also the other family's address (`status.podIPs[1]`), with the first in a pair, so
//   a single-stack pod keeps one small integer and pays nothing for dual-stack;
// - hostNetwork, phase, whether it is being deleted, and whether it can serve a Service (Ready and not
//   terminating, read-workload.ts `podServing`): a few bits of one number;
// - resourceVersion, which client-node's ListWatch compares and resumes its watch from;
// - nodeName (interned: a few hundred nodes for 100k pods), and one bit for whether the pod tolerates a
//   NoSchedule taint: node placement reads which nodes run ordinary pods (plan/node-placement.ts).
// Managed fields, annotations, owner references, conditions and container statuses are dropped. Probe pods
// are not compacted: the operator reads their progress and owners (trim.ts keeps those).
//
// A CompactPod is itself the policy engine's PodEndpoint, so the prediction snapshot holds no second copy.
import { secondPodIp } from '../policy/ip-family.js';
import type { ContainerPort, PodEndpoint } from '../policy/types.js';
import { hashString, type Interner } from './interner.js';
import type { PodObject } from './objects.js';

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';

const PHASES: readonly (PodPhase | undefined)[] = [
  undefined,
  'Pending',
  'Running',
  'Succeeded',
  'Failed',
  'Unknown',
];
const HOST_NETWORK = 1;
const DELETING = 2;
const SERVING_KNOWN = 4;
const SERVING = 8;
const PHASE_SHIFT = 4;
const PHASE_MASK = 7;
/** Above the phase's bits. */
const TOLERATES_NO_SCHEDULE = 1 << 8;

/** What ListWatch and the operator's change handling read of a cached object's metadata. */
export interface CompactMeta {
  name: string;
  namespace: string;
  resourceVersion?: string;
  labels: Readonly<Record<string, string>>;
}

export class CompactPod implements PodEndpoint {
  constructor(
    readonly namespace: string,
    readonly name: string,
    readonly resourceVersion: string | undefined,
    readonly labels: Record<string, string>,
    readonly ports: ContainerPort[],
    readonly serviceAccountName: string | undefined,
    /**
     * IPv4 as a signed 32-bit integer (a small integer in V8, no heap object); other addresses as text; a
     * dual-stack pod's two addresses as a pair, `podIP` first.
     */
    private readonly address: PackedAddress | readonly [PackedAddress, string] | undefined,
    private readonly flags: number,
    /** spec.nodeName: where the scheduler bound the pod. */
    readonly nodeName?: string,
  ) {}

  /** The policy engine's endpoint kind (not the API kind, which list items do not carry). */
  get kind(): 'pod' {
    return 'pod';
  }

  get ip(): string | undefined {
    const a = this.address;
    return Array.isArray(a) ? unpack(a[0] as PackedAddress) : unpack(a as PackedAddress | undefined);
  }

  /** The dual-stack pod's address of the other family (policy/types.ts, PodEndpoint). */
  get secondIp(): string | undefined {
    const a = this.address;
    return Array.isArray(a) ? (a[1] as string) : undefined;
  }

  get hostNetwork(): true | undefined {
    return this.flags & HOST_NETWORK ? true : undefined;
  }

  /** As read-workload.ts reads a pod from a manifest: undefined when its status cannot tell. */
  get serving(): boolean | undefined {
    return this.flags & SERVING_KNOWN ? (this.flags & SERVING) !== 0 : undefined;
  }

  get phase(): PodPhase | undefined {
    return PHASES[(this.flags >>> PHASE_SHIFT) & PHASE_MASK];
  }

  /** A toleration lets the pod onto nodes tainted NoSchedule (DaemonSet and system pods have one). */
  get toleratesNoSchedule(): boolean {
    return (this.flags & TOLERATES_NO_SCHEDULE) !== 0;
  }

  /** metadata.deletionTimestamp is set: the pod is terminating. */
  get deleting(): boolean {
    return (this.flags & DELETING) !== 0;
  }

  /** Made on each read (ListWatch reads it a few times per change); the pod keeps no object for it. */
  get metadata(): CompactMeta {
    const meta: CompactMeta = { name: this.name, namespace: this.namespace, labels: this.labels };
    if (this.resourceVersion !== undefined) meta.resourceVersion = this.resourceVersion;
    return meta;
  }
}

/** What the pod cache holds: compact pods, and probe pods as trim.ts keeps them. */
export type CachedPod = CompactPod | PodObject;

export function isCompactPod(pod: CachedPod): pod is CompactPod {
  return pod instanceof CompactPod;
}

/** The compact form of a pod as the API serves it. */
export function compactPod(pod: PodObject, interner: Interner): CompactPod {
  const meta = pod.metadata;
  const spec = pod.spec ?? {};
  // Wire JSON may carry null where the type says absent.
  const stamp: unknown = meta.deletionTimestamp;
  const deleting = stamp !== undefined && stamp !== null;
  const serving = servingOf(deleting, pod.status);
  const phase = PHASES.indexOf(pod.status?.phase);
  const flags =
    (spec.hostNetwork === true ? HOST_NETWORK : 0) |
    (deleting ? DELETING : 0) |
    (serving === undefined ? 0 : SERVING_KNOWN | (serving ? SERVING : 0)) |
    (Math.max(phase, 0) << PHASE_SHIFT) |
    (toleratesNoSchedule(spec.tolerations) ? TOLERATES_NO_SCHEDULE : 0);
  const account = spec.serviceAccountName;
  const node = spec.nodeName;
  return new CompactPod(
    interner.string(meta.namespace ?? 'default'),
    meta.name,
    meta.resourceVersion,
    labelsOf(meta.labels, interner),
    portsOf(spec.containers, interner),
    account === undefined ? undefined : interner.string(account),
    addressOf(pod.status),
    flags,
    typeof node === 'string' && node !== '' ? interner.string(node) : undefined,
  );
}

/** A toleration with effect NoSchedule, or with no effect (which tolerates every effect). */
export function toleratesNoSchedule(tolerations: unknown): boolean {
  if (!Array.isArray(tolerations)) return false;
  return tolerations.some((t: unknown) => {
    const effect = (t as { effect?: unknown } | null)?.effect;
    return effect === 'NoSchedule' || effect === undefined || effect === null || effect === '';
  });
}

/**
 * read-workload.ts `podServing`, on the typed status: terminating pods never serve; with conditions, only
 * a Ready pod does; without, a Pending, Succeeded or Failed pod does not and any other is unknown.
 */
function servingOf(deleting: boolean, status: PodObject['status']): boolean | undefined {
  if (status === undefined) return undefined;
  if (deleting) return false;
  if (!Array.isArray(status.conditions)) {
    const phase = status.phase;
    return phase === 'Pending' || phase === 'Succeeded' || phase === 'Failed' ? false : undefined;
  }
  return status.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

const NO_LABELS: Record<string, string> = Object.freeze({});

function labelsOf(labels: Record<string, string> | undefined, interner: Interner): Record<string, string> {
  if (labels === undefined) return NO_LABELS;
  const entries = Object.entries(labels).filter(([, v]) => typeof v === 'string');
  if (entries.length === 0) return NO_LABELS;
  // Summing the entries' hashes makes the hash independent of key order, as label set equality is.
  let hash = entries.length;
  for (const [k, v] of entries) hash = (hash + hashString(v, hashString(k))) | 0;
  const same = (c: Record<string, string>) =>
    Object.keys(c).length === entries.length && entries.every(([k, v]) => c[k] === v);
  return interner.object(hash, same, () => Object.fromEntries(entries));
}

const NO_PORTS: ContainerPort[] = Object.freeze([]) as unknown as ContainerPort[];

/** Every container's declared ports, in order, as read-workload.ts reads them; one shared list. */
function portsOf(containers: { ports?: unknown[] }[] | undefined, interner: Interner): ContainerPort[] {
  const ports: ContainerPort[] = [];
  for (const c of containers ?? []) {
    for (const p of c.ports ?? []) {
      const port = containerPort(p, interner);
      if (port !== undefined) ports.push(port);
    }
  }
  if (ports.length === 0) return NO_PORTS;
  let hash = PORTS_SEED;
  for (const p of ports) hash = hashString(`${p.containerPort}/${p.protocol ?? ''}/${p.name ?? ''};`, hash);
  const same = (c: ContainerPort[]) =>
    c.length === ports.length &&
    c.every((p, i) => {
      const q = ports[i];
      return p.containerPort === q?.containerPort && p.protocol === q.protocol && p.name === q.name;
    });
  return interner.object(hash, same, () => ports.map((p) => Object.freeze(p))) as ContainerPort[];
}

/** Ports and label sets share one table; a different seed keeps their hashes apart. */
const PORTS_SEED = hashString('ports');

function containerPort(v: unknown, interner: Interner): ContainerPort | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const { containerPort: number, name, protocol } = v as Record<string, unknown>;
  if (typeof number !== 'number' || !Number.isInteger(number)) return undefined;
  const port: ContainerPort = { containerPort: number };
  if (typeof name === 'string') port.name = interner.string(name);
  if (protocol === 'TCP' || protocol === 'UDP' || protocol === 'SCTP') port.protocol = protocol;
  return port;
}

type PackedAddress = number | string;

function unpack(a: PackedAddress | undefined): string | undefined {
  if (typeof a !== 'number') return a;
  return `${a >>> 24}.${(a >>> 16) & 255}.${(a >>> 8) & 255}.${a & 255}`;
}

/** `podIP`, and with it `podIPs[1]` on a dual-stack pod (the API keeps podIPs[0] equal to podIP). */
function addressOf(status: PodObject['status']): PackedAddress | [PackedAddress, string] | undefined {
  const first = packAddress(status?.podIP);
  const second = secondPodIp(status);
  return first === undefined || second === undefined ? first : [first, second];
}

const IPV4 = /^(?:0|[1-9]\d{0,2})(?:\.(?:0|[1-9]\d{0,2})){3}$/;

/** IPv4 text in its canonical form as one int32; anything else stays text. */
export function packAddress(ip: string | undefined): number | string | undefined {
  if (ip === undefined || !IPV4.test(ip)) return ip;
  const octets = ip.split('.').map(Number);
  if (octets.some((o) => o > 255)) return ip;
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return (a << 24) | (b << 16) | (c << 8) | d | 0;
}

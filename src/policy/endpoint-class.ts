// Endpoint classes for the engine's caches. Two endpoints of one class answer every policy rule alike, so
// what one side of a flow comes to can be reused for any flow between endpoints of the same classes, on
// the same port and protocol. A class holds exactly what selection and matching read (isolation.ts,
// peer-match.ts, port-match.ts, cluster-match.ts):
// - of the pod a side is about (the subject): host network or not, namespace, labels;
// - of the other end: the same, or that it is not a pod, and where its address lies among the CIDRs of
//   all ipBlocks (with their excepts) and `networks` peers — or that the address is not known;
// - of the destination: its named container ports (a named-port rule matches by them alone).
// Pods of one workload share labels and ports, so they share classes except for their addresses — and
// addresses between the same CIDR bounds share those too.
import type { Cidr } from './cidr.js';
import type { Labels } from './label-selector.js';
import { addressOf } from './peer-match.js';
import type { Endpoint, PodEndpoint } from './types.js';

const subjectKeys = new WeakMap<PodEndpoint, string>();

/** What selects a pod as a subject: host network or not, namespace and labels (cached per pod object). */
export function subjectKey(pod: PodEndpoint): string {
  let key = subjectKeys.get(pod);
  if (key === undefined) {
    key = `${pod.hostNetwork === true ? 'h' : 'p'}\0${pod.namespace}\0${labelsKey(pod.labels)}`;
    subjectKeys.set(pod, key);
  }
  return key;
}

export class EndpointClasses {
  /**
   * Per address family, every CIDR's first address and the one after its last, sorted: two addresses
   * with as many bounds at or below them lie between the same bounds, so in exactly the same CIDRs.
   */
  private readonly bounds: Record<4 | 6, bigint[]> = { 4: [], 6: [] };
  private readonly ids = new Map<string, number>();
  private readonly subjectIds = new WeakMap<PodEndpoint, number>();
  private readonly otherIds = new WeakMap<Endpoint, number>();
  private readonly destIds = new WeakMap<Endpoint, number>();

  constructor(cidrs: readonly Cidr[]) {
    for (const family of [4, 6] as const) {
      const width = BigInt(family === 4 ? 32 : 128);
      const all = new Set<bigint>();
      for (const c of cidrs) {
        if (c.family !== family) continue;
        all.add(c.network);
        all.add(c.network + (1n << (width - BigInt(c.prefix))));
      }
      this.bounds[family] = [...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    }
  }

  /** The class of the pod a side is about, as a small number. */
  subjectId(pod: PodEndpoint): number {
    return this.subjectIds.get(pod) ?? this.remember(this.subjectIds, pod, `s\0${subjectKey(pod)}`);
  }

  /** The class of the other end of a flow. */
  otherId(e: Endpoint): number {
    return (
      this.otherIds.get(e) ??
      this.remember(this.otherIds, e, `o\0${e.kind === 'pod' ? subjectKey(e) : 'x'}\0${this.whereIs(e)}`)
    );
  }

  /** The class of the destination for port matching: its named ports. */
  destId(e: Endpoint): number {
    if (e.kind !== 'pod') return 0;
    return this.destIds.get(e) ?? this.remember(this.destIds, e, `d\0${namedPorts(e)}`);
  }

  /** Between which CIDR bounds the address lies (`family:count of bounds at or below`), `?` if unknown. */
  private whereIs(e: Endpoint): string {
    const ip = addressOf(e);
    if (ip === undefined) return '?';
    const bounds = this.bounds[ip.family];
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((bounds[mid] ?? 0n) <= ip.value) lo = mid + 1;
      else hi = mid;
    }
    return `${ip.family}:${lo}`;
  }

  private remember<K extends object>(ids: WeakMap<K, number>, of: K, key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size + 1;
      this.ids.set(key, id);
    }
    ids.set(of, id);
    return id;
  }
}

function namedPorts(pod: PodEndpoint): string {
  const named = pod.ports.filter((p) => p.name !== undefined);
  return named.map((p) => `${p.name ?? ''}:${p.containerPort}/${p.protocol ?? 'TCP'}`).join(',');
}

/** Labels in key order, unambiguous whatever the keys and values hold. */
function labelsKey(labels: Labels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

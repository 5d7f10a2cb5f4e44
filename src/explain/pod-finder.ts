// The pods of each namespace, and which of them a selector matches, cached per (namespace, selector):
// 10,000 flows usually repeat a few dozen selectors, and each lookup would otherwise scan the namespace.
// The operator replaces one namespace's pods when they change (src/run/predict.ts): only that namespace's
// matches are forgotten, and the address index is updated for its pods alone.
import type { LabelSelector } from '../api/types.js';
import { compileSelector, describeSelector, type PodEndpoint } from '../policy/index.js';

export class PodFinder {
  private readonly byNamespace: Map<string, readonly PodEndpoint[]>;
  /** Namespace → selector (JSON) → the matching pods, in the namespace's order. */
  private readonly cache = new Map<string, Map<string, PodEndpoint[]>>();
  /** status.podIP → the pod (or pods: a finished pod keeps its address while a new one reuses it). */
  private ips: Map<string, PodEndpoint | PodEndpoint[]> | undefined;

  constructor(byNamespace: ReadonlyMap<string, readonly PodEndpoint[]>) {
    this.byNamespace = new Map(byNamespace);
  }

  podsIn(namespace: string): readonly PodEndpoint[] {
    return this.byNamespace.get(namespace) ?? [];
  }

  /** The namespaces that have pods. */
  namespaces(): IterableIterator<string> {
    return this.byNamespace.keys();
  }

  /** Every pod, namespace by namespace. */
  all(): PodEndpoint[] {
    return [...this.byNamespace.values()].flat();
  }

  /** A namespace's pods are now `pods` (in the cache's order). */
  replace(namespace: string, pods: readonly PodEndpoint[]): void {
    const old = this.podsIn(namespace);
    if (pods.length === 0) this.byNamespace.delete(namespace);
    else this.byNamespace.set(namespace, pods);
    this.cache.delete(namespace);
    if (this.ips === undefined) return;
    const kept = new Set(pods);
    for (const pod of old) if (!kept.has(pod)) this.unindex(pod);
    const had = new Set(old);
    for (const pod of pods) if (!had.has(pod)) this.index(pod);
  }

  matching(namespace: string, selector: LabelSelector): PodEndpoint[] {
    let inNamespace = this.cache.get(namespace);
    if (inNamespace === undefined) {
      inNamespace = new Map();
      this.cache.set(namespace, inNamespace);
    }
    const key = JSON.stringify(selector);
    let hit = inNamespace.get(key);
    if (hit === undefined) {
      const match = compileSelector(selector, { object: 'ConnectivityTest', path: 'selector' });
      hit = this.podsIn(namespace).filter((pod) => match(pod.labels));
      inNamespace.set(key, hit);
    }
    return hit;
  }

  /**
   * The pod with this status.podIP (hostNetwork pods share their node's IP, so they are not it). Where
   * several pods hold it, a pod that may serve wins over one that cannot: a finished pod keeps its address
   * while the pod network gives it to a new pod (kubernetes/kubernetes#92697), and matching the finished
   * one is a known policy bug (antrea-io/antrea#6507). Then the first by namespace and name, so the answer
   * does not depend on the order the pods arrived in.
   */
  byIp(ip: string): PodEndpoint | undefined {
    if (this.ips === undefined) {
      this.ips = new Map();
      for (const pods of this.byNamespace.values()) for (const pod of pods) this.index(pod);
    }
    const hit = this.ips.get(ip);
    return Array.isArray(hit) ? hit.reduce(preferred) : hit;
  }

  /** Both addresses of a dual-stack pod find it. */
  private index(pod: PodEndpoint): void {
    if (pod.hostNetwork === true || this.ips === undefined) return;
    for (const ip of [pod.ip, pod.secondIp]) {
      if (ip === undefined) continue;
      const hit = this.ips.get(ip);
      if (hit === undefined) this.ips.set(ip, pod);
      else if (Array.isArray(hit)) hit.push(pod);
      else this.ips.set(ip, [hit, pod]);
    }
  }

  private unindex(pod: PodEndpoint): void {
    for (const ip of [pod.ip, pod.secondIp]) if (ip !== undefined) this.unindexIp(pod, ip);
  }

  private unindexIp(pod: PodEndpoint, ip: string): void {
    if (this.ips === undefined) return;
    const hit = this.ips.get(ip);
    if (hit === pod) this.ips.delete(ip);
    else if (Array.isArray(hit)) {
      const rest = hit.filter((p) => p !== pod);
      this.ips.set(ip, rest.length === 1 ? (rest[0] as PodEndpoint) : rest);
    }
  }
}

function preferred(a: PodEndpoint, b: PodEndpoint): PodEndpoint {
  if ((a.serving === false) !== (b.serving === false)) return a.serving === false ? b : a;
  const ka = `${a.namespace}/${a.name}`;
  const kb = `${b.namespace}/${b.name}`;
  return kb < ka ? b : a;
}

export function describePods(namespace: string, selector: LabelSelector): string {
  return `${namespace}/{${describeSelector(selector)}}`;
}

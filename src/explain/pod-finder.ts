// Which pods of a namespace a selector matches, cached per (namespace, selector): 10,000 flows usually
// repeat a few dozen selectors, and each lookup would otherwise scan the namespace.
import type { LabelSelector } from '../api/types.js';
import { compileSelector, describeSelector, type PodEndpoint } from '../policy/index.js';

export class PodFinder {
  private readonly cache = new Map<string, PodEndpoint[]>();
  private ips: Map<string, PodEndpoint> | undefined;

  constructor(private readonly byNamespace: ReadonlyMap<string, readonly PodEndpoint[]>) {}

  matching(namespace: string, selector: LabelSelector): PodEndpoint[] {
    const key = `${namespace}\u0000${JSON.stringify(selector)}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      const match = compileSelector(selector, { object: 'ConnectivityTest', path: 'selector' });
      hit = (this.byNamespace.get(namespace) ?? []).filter((pod) => match(pod.labels));
      this.cache.set(key, hit);
    }
    return hit;
  }

  /** The pod with this status.podIP (hostNetwork pods share their node's IP, so they are not it). */
  byIp(ip: string): PodEndpoint | undefined {
    if (this.ips === undefined) {
      this.ips = new Map();
      for (const pods of this.byNamespace.values()) {
        for (const pod of pods)
          if (pod.ip !== undefined && pod.hostNetwork !== true && !this.ips.has(pod.ip))
            this.ips.set(pod.ip, pod);
      }
    }
    return this.ips.get(ip);
  }
}

export function describePods(namespace: string, selector: LabelSelector): string {
  return `${namespace}/{${describeSelector(selector)}}`;
}

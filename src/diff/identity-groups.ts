// The workloads of one side, grouped the way NetworkPolicy sees them: by namespace and pod label set.
// Policies select pods by labels only, so pods of one group are one source identity (a probe copies a
// pod's labels, DESIGN.md) and, as a destination, are treated alike. Each group is predicted for its first
// pod by name, as explain predicts a source for the first pod that matches. Pods on the host network are
// left out: NetworkPolicy does not apply to them.
import type { PodEndpoint } from '../policy/index.js';

export interface IdentityGroup {
  /** Namespace and sorted labels; equal on both sides for the same identity. */
  key: string;
  namespace: string;
  /** How the report names it: `namespace/name` of its only member, else `namespace/{k=v,...}`. */
  display: string;
  /** The pod the group is predicted for. */
  representative: PodEndpoint;
  /** The container ports of every member, `port/protocol`, sorted. */
  ports: string[];
  /** What the group's members are, for noticing a change with the same labels (ports, addresses). */
  fingerprint: string;
}

export function identityGroups(pods: readonly PodEndpoint[]): Map<string, IdentityGroup> {
  const members = new Map<string, PodEndpoint[]>();
  for (const pod of pods) {
    if (pod.hostNetwork === true) continue;
    const key = groupKey(pod.namespace, pod.labels);
    const list = members.get(key);
    if (list === undefined) members.set(key, [pod]);
    else list.push(pod);
  }
  const groups = new Map<string, IdentityGroup>();
  for (const [key, list] of members) {
    list.sort((a, b) => compare(a.name, b.name));
    const first = list[0] as PodEndpoint;
    const ports = [
      ...new Set(list.flatMap((p) => p.ports.map((c) => portKey(c.containerPort, c.protocol ?? 'TCP')))),
    ].sort();
    const display =
      list.length === 1
        ? `${first.namespace}/${first.name}`
        : `${first.namespace}/{${labelText(first.labels)}}`;
    const fingerprint = JSON.stringify(list.map((p) => [p.name, p.ip, p.ports]));
    groups.set(key, { key, namespace: first.namespace, display, representative: first, ports, fingerprint });
  }
  return groups;
}

export function groupKey(namespace: string, labels: Readonly<Record<string, string>>): string {
  const sorted = Object.entries(labels).sort(([a], [b]) => compare(a, b));
  return JSON.stringify([namespace, sorted]);
}

export function portKey(port: number, protocol: string): string {
  return `${port}/${protocol}`;
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => compare(a, b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}

/** By code unit, so the order does not depend on the locale. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// One side of a diff (the base or the head manifests): the snapshot explain builds, the predictions of its
// declared flows, and what the undeclared scan needs — the compiled policies, the workloads grouped by
// identity, and the paths its declared flows already cover.
import type { Flow } from '../api/types.js';
import {
  buildSnapshot,
  explainerFor,
  type ClusterSnapshot,
  type ExplainInputError,
  type FlowExplanation,
  type TestValidator,
} from '../explain/index.js';
import { DNS_NAMESPACE } from '../explain/dns.js';
import { PodFinder } from '../explain/pod-finder.js';
import { SourceResolver } from '../explain/resolve-source.js';
import { resolveTarget } from '../explain/resolve-target.js';
import type { SourcedObject } from '../manifest/load.js';
import { OutOfModelIndex, PolicyEngine, type PodEndpoint } from '../policy/index.js';
import { groupKey, identityGroups, portKey, type IdentityGroup } from './identity-groups.js';

export interface DiffSide {
  snapshot: ClusterSnapshot;
  /** Every declared flow's prediction, as `flowprobe explain` gives it. */
  results: FlowExplanation[];
  engine: PolicyEngine;
  outOfModel: OutOfModelIndex;
  groups: Map<string, IdentityGroup>;
  /** `source key|destination key|port/protocol` of each path a declared flow of this side probes. */
  declaredPaths: Set<string>;
  /** `port/protocol` of each port a declared flow reaches a pod on (a Service's target port resolved). */
  declaredPorts: Set<string>;
}

export type SideOutcome = { side: DiffSide } | { errors: ExplainInputError[] };

export function buildSide(objects: readonly SourcedObject[], validate: TestValidator): SideOutcome {
  const { snapshot, errors } = buildSnapshot(objects, validate);
  if (errors.length > 0) return { errors };
  const finder = new PodFinder(snapshot.podsByNamespace);
  const results = explainerFor(snapshot, finder).results(snapshot.tests);
  const engine = new PolicyEngine({
    namespaces: snapshot.namespaces,
    policies: snapshot.policies,
    clusterPolicies: snapshot.clusterPolicies,
  });
  const declaredPaths = new Set<string>();
  const declaredPorts = new Set<string>();
  const declare = declarer(snapshot, finder, declaredPaths, declaredPorts);
  for (const { test } of snapshot.tests) {
    const namespace = test.metadata.namespace ?? 'default';
    for (const flow of test.spec.flows) declare(flow, namespace);
  }
  return {
    side: {
      snapshot,
      results,
      engine,
      outOfModel: new OutOfModelIndex(snapshot.outOfModel, engine.namespaceLabels),
      groups: identityGroups(snapshot.pods),
      declaredPaths,
      declaredPorts,
    },
  };
}

/**
 * Records the ports and the identity-to-workload paths of a declared flow. Flows repeat sources and targets,
 * so each source, target and pod's group key is worked out once. A flow that reaches its target by name
 * also declares its DNS query: UDP and TCP 53 from its source to the cluster DNS pod, the paths explain
 * predicts for it (src/explain/dns.ts), so that a change that breaks the flow's DNS shows as the flow's
 * break, not a second time as undeclared paths.
 */
function declarer(
  snapshot: ClusterSnapshot,
  finder: PodFinder,
  paths: Set<string>,
  ports: Set<string>,
): (flow: Flow, namespace: string) => void {
  const sources = new SourceResolver(finder);
  const keys = new WeakMap<PodEndpoint, string>();
  const keyOf = (pod: PodEndpoint) => {
    let key = keys.get(pod);
    if (key === undefined) keys.set(pod, (key = groupKey(pod.namespace, pod.labels)));
    return key;
  };
  // The DNS pod explain's DnsChecker queries (none in the manifests: no workload of the scan stands for it).
  const dns = finder.podsIn(DNS_NAMESPACE).find((p) => p.labels['k8s-app'] === 'kube-dns');
  const dnsPorts = dns === undefined ? [] : ['UDP', 'TCP'].map((p) => `${keyOf(dns)}|${portKey(53, p)}`);
  /** A target (namespace, to, port, protocol) → `destination key|port`s and the ports it reaches pods on. */
  const targets = new Map<string, { toPorts: string[]; ports: string[] }>();
  const targetOf = (flow: Flow, namespace: string, protocol: string) => {
    const id = JSON.stringify([namespace, flow.to, flow.port, protocol]);
    let hit = targets.get(id);
    if (hit === undefined) {
      const resolved = resolveTarget(flow, {
        testNamespace: namespace,
        finder,
        services: snapshot.servicesByKey,
        servicesByIp: snapshot.servicesByIp,
      });
      const toPorts = new Set<string>();
      for (const t of resolved.targets)
        if (t.endpoint.kind === 'pod') toPorts.add(`${keyOf(t.endpoint)}|${portKey(t.port, protocol)}`);
      if (resolved.needsDns) for (const query of dnsPorts) toPorts.add(query);
      hit = {
        toPorts: [...toPorts],
        ports: [...new Set(resolved.targets.map((t) => portKey(t.port, protocol)))],
      };
      targets.set(id, hit);
    }
    return hit;
  };
  return (flow, namespace) => {
    const protocol = flow.protocol ?? 'TCP';
    ports.add(portKey(flow.port, protocol));
    const target = targetOf(flow, namespace, protocol);
    for (const port of target.ports) ports.add(port);
    const source = sources.resolve(namespace, flow.from);
    if (!('endpoint' in source)) return;
    const from = keyOf(source.endpoint);
    for (const toPort of target.toPorts) paths.add(`${from}|${toPort}`);
  };
}

export function pathKey(from: string, to: string, port: string): string {
  return `${from}|${to}|${port}`;
}

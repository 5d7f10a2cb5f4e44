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
import { PodFinder } from '../explain/pod-finder.js';
import { resolveSource } from '../explain/resolve-source.js';
import { resolveTarget } from '../explain/resolve-target.js';
import type { SourcedObject } from '../manifest/load.js';
import { OutOfModelIndex, PolicyEngine } from '../policy/index.js';
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
  for (const { test } of snapshot.tests) {
    const namespace = test.metadata.namespace ?? 'default';
    for (const flow of test.spec.flows)
      declare(flow, namespace, snapshot, finder, declaredPaths, declaredPorts);
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

/** Records the ports and the identity-to-workload paths one declared flow covers. */
function declare(
  flow: Flow,
  namespace: string,
  snapshot: ClusterSnapshot,
  finder: PodFinder,
  paths: Set<string>,
  ports: Set<string>,
): void {
  const protocol = flow.protocol ?? 'TCP';
  ports.add(portKey(flow.port, protocol));
  const target = resolveTarget(flow, {
    testNamespace: namespace,
    finder,
    services: snapshot.servicesByKey,
    servicesByIp: snapshot.servicesByIp,
  });
  const source = resolveSource(namespace, flow.from, finder);
  for (const t of target.targets) {
    ports.add(portKey(t.port, protocol));
    if (!('endpoint' in source) || t.endpoint.kind !== 'pod') continue;
    const from = groupKey(source.endpoint.namespace, source.endpoint.labels);
    const to = groupKey(t.endpoint.namespace, t.endpoint.labels);
    paths.add(pathKey(from, to, portKey(t.port, protocol)));
  }
}

export function pathKey(from: string, to: string, port: string): string {
  return `${from}|${to}|${port}`;
}

// Mistakes in cluster-scoped policies that show without any flow, over the pods the manifests hold
// (network-policy-api commit 0eec1b0e for the semantics; see src/policy/tiers.ts):
// - two policies of one tier share a priority and select the same pods: where both match a connection,
//   the API leaves which one applies undefined;
// - an Admin Pass whose pods nothing below decides for: the Pass falls through to default allow;
// - a Baseline Deny that a namespace's NetworkPolicy quietly overrides: a pod a NetworkPolicy isolates is
//   never evaluated by the Baseline tier in that direction, so the NetworkPolicy's allows win.
// The flow-bound one (an Admin Deny that makes a declared Allowed flow impossible) is in
// adminDenyFindings, from the explained flows.
import type { CompiledClusterPolicy, PodEndpoint, PolicyEngine, PolicyType } from '../policy/index.js';
import type { FlowExplanation } from './explain-flow.js';
import type { PolicyFinding } from './findings.js';

const DIRECTIONS = ['Ingress', 'Egress'] as const;

export function clusterPolicyFindings(engine: PolicyEngine, pods: readonly PodEndpoint[]): PolicyFinding[] {
  if (engine.cluster.empty) return [];
  const subjects = new Map<CompiledClusterPolicy, PodEndpoint[]>();
  for (const policy of engine.cluster.policies) subjects.set(policy, []);
  for (const pod of pods) {
    for (const tier of ['Admin', 'Baseline'] as const) {
      for (const dir of DIRECTIONS) {
        for (const p of engine.cluster.selecting(pod, tier, dir)) {
          const list = subjects.get(p);
          if (list !== undefined && list[list.length - 1] !== pod) list.push(pod);
        }
      }
    }
  }
  return [
    ...samePriority(engine.cluster.policies, subjects),
    ...passesToNothing(engine, subjects),
    ...overriddenBaselines(engine, subjects),
  ];
}

function samePriority(
  policies: readonly CompiledClusterPolicy[],
  subjects: ReadonlyMap<CompiledClusterPolicy, PodEndpoint[]>,
): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  policies.forEach((a, i) => {
    for (const b of policies.slice(i + 1)) {
      if (a.source.tier !== b.source.tier || a.source.priority !== b.source.priority || a.family !== b.family)
        continue;
      const inB = new Set(subjects.get(b));
      const shared = (subjects.get(a) ?? []).find((pod) => inB.has(pod));
      if (shared === undefined) continue;
      out.push({
        policy: a.key,
        message: `shares priority ${a.source.priority} in the ${a.source.tier} tier with ${b.key}, and both select ${shared.namespace}/${shared.name}: where both match a connection the API leaves which one applies undefined (give them different priorities)`,
      });
    }
  });
  return out;
}

function passesToNothing(
  engine: PolicyEngine,
  subjects: ReadonlyMap<CompiledClusterPolicy, PodEndpoint[]>,
): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const policy of engine.cluster.policies) {
    if (policy.source.tier !== 'Admin') continue;
    for (const dir of DIRECTIONS) {
      const rules = policy[dir === 'Ingress' ? 'ingress' : 'egress'].filter((r) => r.action === 'Pass');
      if (rules.length === 0) continue;
      const open = (subjects.get(policy) ?? []).find((pod) => nothingBelow(engine, pod, dir));
      if (open === undefined) continue;
      const which = rules.map((r) => r.label).join(', ');
      out.push({
        policy: policy.key,
        message: `${dir.toLowerCase()} Pass rule ${which}: nothing below decides for ${open.namespace}/${open.name} (no NetworkPolicy isolates it for ${dir}, no Baseline policy selects it), so the Pass falls through to default allow`,
      });
    }
  }
  return out;
}

function nothingBelow(engine: PolicyEngine, pod: PodEndpoint, dir: PolicyType): boolean {
  return (
    engine.isolating(pod, dir).length === 0 && engine.cluster.selecting(pod, 'Baseline', dir).length === 0
  );
}

function overriddenBaselines(
  engine: PolicyEngine,
  subjects: ReadonlyMap<CompiledClusterPolicy, PodEndpoint[]>,
): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const policy of engine.cluster.policies) {
    if (policy.source.tier !== 'Baseline') continue;
    for (const dir of DIRECTIONS) {
      const key = dir === 'Ingress' ? 'ingress' : 'egress';
      if (!policy[key].some((r) => r.action === 'Deny')) continue;
      // The NetworkPolicies that take pods out of the Baseline tier's hands, each with one such pod.
      const byPolicy = new Map<string, PodEndpoint>();
      for (const pod of subjects.get(policy) ?? []) {
        for (const np of engine.isolating(pod, dir)) if (!byPolicy.has(np.key)) byPolicy.set(np.key, pod);
      }
      const [first] = byPolicy;
      if (first === undefined) continue;
      const [np, pod] = first;
      const more =
        byPolicy.size > 1
          ? ` (and ${byPolicy.size - 1} more NetworkPolicies, each for the pods it isolates)`
          : '';
      out.push({
        policy: policy.key,
        message: `its ${key} Deny rules never apply to ${pod.namespace}/${pod.name}: NetworkPolicy ${np} isolates it for ${dir}${more}, and a NetworkPolicy always decides before the Baseline tier — whatever it allows passes`,
      });
    }
  }
  return out;
}

/** Declared Allowed flows that an Admin Deny makes impossible (no NetworkPolicy can reopen them). */
export function adminDenyFindings(results: readonly FlowExplanation[]): PolicyFinding[] {
  const out: PolicyFinding[] = [];
  for (const r of results) {
    for (const line of r.diagnosis) {
      const m = /^admin deny: (\S+) (.*?) denies this flow/.exec(line);
      if (m === null) continue;
      out.push({
        policy: m[1] ?? '',
        message: `${m[2] ?? ''} makes the declared Allowed flow ${r.namespace}/${r.test} ${r.flow} impossible: no NetworkPolicy can reopen it`,
      });
    }
  }
  return out;
}

// Which policy rules, peers and isolations the declared flows exercise, read from the predictions explain
// already made (nothing is predicted again, and no prediction changes). Per prediction (one target endpoint,
// or a DNS query):
// - Allowed: on each side, every rule that admits it (direction.ts reports every admitting rule, since
//   NetworkPolicies are additive), and in such a rule every peer that matches the other end — a rule's peers
//   are ORed, so a flow that two peers admit exercises both; or the Admin/Baseline rule that decides the side
//   (and the Pass it went through).
// - Denied: on each denying side, the isolation of every NetworkPolicy isolating the pod there (together
//   they make the allow list nothing matched), or the Admin/Baseline Deny that decides it. A denied flow
//   exercises no allow rule, not even on the side that would have let it out.
// - Unknown: nothing; coverage counts only what a prediction settles.
import type { CompiledPolicy, CompiledRule } from '../policy/compile.js';
import type { CompiledClusterRule } from '../policy/cluster-compile.js';
import type { DirectionResult } from '../policy/direction.js';
import type { PolicyEngine } from '../policy/engine.js';
import { matchPeer } from '../policy/peer-match.js';
import type { TierHit } from '../policy/tier-eval.js';
import type { Endpoint } from '../policy/types.js';
import type { IsolationCoverage, PeerCoverage, RuleCoverage } from './coverage-types.js';
import { describeClusterPorts, describePeer, describePorts } from './describe-rule.js';
import type { PredictedPath } from './flow-observation.js';

interface NpRule {
  policy: CompiledPolicy;
  rule: CompiledRule;
  coverage: RuleCoverage;
}

export class RuleLedger {
  /** NetworkPolicy rules by `policyKey|direction|index`. */
  private readonly npRules = new Map<string, NpRule>();
  private readonly clusterRules = new Map<CompiledClusterRule, RuleCoverage>();
  /** By `policyKey|direction`. */
  private readonly isolations = new Map<string, IsolationCoverage>();
  private readonly order: RuleCoverage[] = [];

  constructor(private readonly engine: PolicyEngine) {
    for (const policy of engine.policies) this.addPolicy(policy);
    for (const cp of engine.cluster.policies) {
      for (const direction of ['ingress', 'egress'] as const) {
        for (const rule of cp[direction]) {
          const coverage: RuleCoverage = {
            kind: cp.source.kind,
            namespace: null,
            policy: cp.source.name,
            tier: cp.source.tier,
            direction,
            rule: rule.index,
            ...nameOf(cp.source[direction][rule.index]?.name),
            action: rule.action,
            ports: describeClusterPorts(rule.ports),
            exercised: false,
            peers: [],
            exercisedBy: [],
          };
          this.clusterRules.set(rule, coverage);
          this.order.push(coverage);
        }
      }
    }
  }

  private addPolicy(policy: CompiledPolicy): void {
    const spec = policy.source.spec;
    for (const direction of ['ingress', 'egress'] as const) {
      // A direction missing from policyTypes is ignored by every enforcer: its rules exercise nothing and
      // are no rules of the policy's (findings.ts reports them).
      if (!policy.types.has(direction === 'ingress' ? 'Ingress' : 'Egress')) continue;
      this.isolations.set(`${policy.key}|${direction}`, {
        namespace: policy.namespace,
        policy: policy.name,
        direction,
        exercised: false,
        exercisedBy: [],
      });
      const written = direction === 'ingress' ? spec.ingress : spec.egress;
      (direction === 'ingress' ? policy.ingress : policy.egress).forEach((rule, i) => {
        const peers: PeerCoverage[] =
          rule.peers === null
            ? [{ peer: null, description: 'any peer', exercised: false }]
            : rule.peers.map((p) => ({
                peer: p.index,
                description: describePeer(p.source),
                exercised: false,
              }));
        const coverage: RuleCoverage = {
          kind: 'NetworkPolicy',
          namespace: policy.namespace,
          policy: policy.name,
          direction,
          rule: rule.index,
          ports: describePorts(written?.[i]?.ports),
          exercised: false,
          peers,
          exercisedBy: [],
        };
        this.npRules.set(`${policy.key}|${direction}|${rule.index}`, { policy, rule, coverage });
        this.order.push(coverage);
      });
    }
  }

  /** Records what one prediction of the flow `flow` exercises. */
  observe(flow: string, path: PredictedPath): void {
    const { prediction } = path;
    if (prediction.predicted === 'Allowed') {
      this.allowed(flow, prediction.egress, path.to);
      this.allowed(flow, prediction.ingress, path.from);
    } else if (prediction.predicted === 'Denied') {
      this.denied(flow, prediction.egress);
      this.denied(flow, prediction.ingress);
    }
  }

  /** `other`: the end the side's rules match (the destination for egress, the source for ingress). */
  private allowed(flow: string, side: DirectionResult, other: Endpoint): void {
    const tiers = side.tiers;
    if (tiers !== undefined) {
      if (tiers.pass !== undefined) this.hit(flow, tiers.pass);
      if (tiers.decidedBy !== 'NetworkPolicy') {
        if (tiers.hit !== undefined) this.hit(flow, tiers.hit);
        return;
      }
    }
    for (const ref of side.admittedBy) {
      const entry = this.npRules.get(`${ref.policy}|${ref.direction}|${ref.rule}`);
      if (entry === undefined) continue;
      mark(entry.coverage, flow);
      const { rule, policy, coverage } = entry;
      if (rule.peers === null) {
        if (coverage.peers[0] !== undefined) coverage.peers[0].exercised = true;
        continue;
      }
      rule.peers.forEach((peer, i) => {
        const p = coverage.peers[i];
        if (p === undefined || p.exercised) return;
        if (matchPeer(peer, policy.namespace, other, this.engine.namespaceLabels) === 'yes')
          p.exercised = true;
      });
    }
  }

  private denied(flow: string, side: DirectionResult): void {
    if (side.decision !== 'no') return;
    const tiers = side.tiers;
    if (tiers !== undefined) {
      if (tiers.pass !== undefined) this.hit(flow, tiers.pass);
      if (tiers.decidedBy !== 'NetworkPolicy') {
        if (tiers.hit !== undefined) this.hit(flow, tiers.hit);
        return;
      }
    }
    const direction = side.direction === 'Ingress' ? 'ingress' : 'egress';
    for (const key of side.isolatedBy) {
      const isolation = this.isolations.get(`${key}|${direction}`);
      if (isolation !== undefined) mark(isolation, flow);
    }
  }

  private hit(flow: string, hit: TierHit): void {
    if (!hit.certain) return;
    const coverage = this.clusterRules.get(hit.rule);
    if (coverage !== undefined) mark(coverage, flow);
  }

  rules(): RuleCoverage[] {
    return this.order;
  }

  isolationList(): IsolationCoverage[] {
    return [...this.isolations.values()];
  }
}

function mark(item: { exercised: boolean; exercisedBy: string[] }, flow: string): void {
  item.exercised = true;
  if (item.exercisedBy[item.exercisedBy.length - 1] !== flow) item.exercisedBy.push(flow);
}

function nameOf(name: string | undefined): { name?: string } {
  return name === undefined || name === '' ? {} : { name };
}

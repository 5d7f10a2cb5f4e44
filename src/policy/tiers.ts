// One side of a flow through the tiers, in the API's order (network-policy-api commit 0eec1b0e,
// ClusterNetworkPolicySpec.tier and site-src/api-overview.md, "Tiers" and "Actions"):
//   Admin tier — Accept: allowed, no NetworkPolicy consulted; Deny: denied; Pass (or no match): go on;
//   NetworkPolicy — if one isolates the pod in this direction it decides, full stop ("v1.NetworkPolicy
//     always makes a final decision for selected pods");
//   Baseline tier — Accept / Deny decide; Pass or no match: go on;
//   default — allowed ("all pods can communicate with each other").
// Per direction, as NetworkPolicy: an egress Accept at the source still leaves the destination's ingress
// to decide ("any ingress rules at the destination do apply").
//
// Each tier may have several possible outcomes (tier-eval.ts); every path is followed, and the side is
// decided only when all paths agree — otherwise it is Unknown and the reason says why.
import type { DirectionResult } from './direction.js';
import { formatHit, evaluateTier, type TierHit, type TierOutcome } from './tier-eval.js';
import type { CompiledClusterPolicy } from './cluster-compile.js';
import type { ClusterFlowSide } from './cluster-match.js';
import type { Tri } from './tri.js';
import type { PolicyType } from './types.js';

export type DecidingStage = 'Admin' | 'NetworkPolicy' | 'Baseline' | 'default' | 'undecided';

/** What the tiers did on one side; set on a DirectionResult when a cluster-scoped policy selects the pod. */
export interface TierTrace {
  decidedBy: DecidingStage;
  /** The reason line: the chain across tiers. */
  reason: string;
  /** The Admin or Baseline rule that decides, when one does. */
  hit?: TierHit;
  /** The Admin Pass the deciding path went through. */
  pass?: TierHit;
  /** Policies whose order the API leaves undefined and that would decide differently. */
  undefinedOrder?: string;
  /** A cluster rule that may match, but flowprobe cannot tell (an unknown address, an experimental peer). */
  uncertain?: TierHit;
  /** A Baseline Deny that would match had a NetworkPolicy not isolated the side: the NetworkPolicy wins. */
  overriddenBaseline?: TierHit;
}

export interface TierInput {
  direction: PolicyType;
  admin: readonly CompiledClusterPolicy[];
  baseline: readonly CompiledClusterPolicy[];
  side: ClusterFlowSide;
  /** Whether a NetworkPolicy isolates the pod in this direction. */
  isolated: boolean;
  /** The NetworkPolicy evaluation (called only when a path reaches that tier). */
  networkPolicy: () => DirectionResult;
  /** The NetworkPolicy reason line for `result`, without its `egress: ` prefix. */
  npText: (result: DirectionResult) => string;
}

/** A step of a path: a cluster rule, the NetworkPolicy tier, or the default allow. */
type Step = TierHit | 'np' | 'default';

interface Path {
  decision: Tri;
  /** Kept as steps and rendered only for the path a reason shows: most flows never need the text. */
  steps: Step[];
  certain: boolean;
  stage: Exclude<DecidingStage, 'undecided'>;
  hit?: TierHit;
  pass?: TierHit;
  /** No cluster rule is part of it: it reads as the NetworkPolicy reason alone, as without the tiers. */
  plain?: boolean;
}

/** Renders a path: its tiers joined by arrows, or the plain NetworkPolicy reason. */
type Render = (p: Path) => string;

function renderer(npText: () => string): Render {
  const step = (s: Step) =>
    s === 'np' ? `[NetworkPolicy] ${npText()}` : s === 'default' ? 'default allow' : formatHit(s);
  return (p) => (p.plain === true ? npText() : p.steps.map(step).join(' → '));
}

export function evaluateTiers(input: TierInput): DirectionResult {
  // Each later tier is evaluated at most once, and only when a path reaches it.
  const seen: { np?: DirectionResult; baseline?: TierOutcome; text?: string } = {};
  const networkPolicy = () => (seen.np ??= input.networkPolicy());
  const baselineOutcome = () =>
    (seen.baseline ??= evaluateTier('Baseline', input.baseline, input.direction, input.side));
  const admin = evaluateTier('Admin', input.admin, input.direction, input.side);
  const paths: Path[] = [];
  for (const a of admin.possible) {
    if (a !== 'none' && a.rule.action !== 'Pass') {
      paths.push(terminal(a, [], 'Admin'));
      continue;
    }
    const pass = a === 'none' ? undefined : a;
    const before: Step[] = pass === undefined ? ['np'] : [pass, 'np'];
    if (input.isolated) {
      const path: Path = {
        decision: networkPolicy().decision,
        steps: before,
        certain: pass?.certain ?? true,
        stage: 'NetworkPolicy',
      };
      if (pass !== undefined) path.pass = pass;
      else path.plain = true;
      paths.push(path);
      continue;
    }
    networkPolicy();
    for (const b of baselineOutcome().possible) {
      const path =
        b !== 'none' && b.rule.action !== 'Pass'
          ? terminal(b, before, 'Baseline')
          : fallThrough(b === 'none' ? undefined : b, before);
      if (pass !== undefined) {
        path.pass = pass;
        path.certain &&= pass.certain;
      } else if (b === 'none') {
        path.plain = true;
      }
      paths.push(path);
    }
  }
  const undefinedOrder = admin.undefinedOrder ?? seen.baseline?.undefinedOrder;
  const render = renderer(() => (seen.text ??= input.npText(networkPolicy())));
  const trace = traceOf(input, paths, baselineOutcome, undefinedOrder, render);
  const { np } = seen;
  return {
    direction: input.direction,
    isolatedBy: np?.isolatedBy ?? [],
    decision: trace.decision,
    admittedBy: np?.admittedBy ?? [],
    undecided: np?.undecided ?? [],
    tiers: trace.trace,
  };
}

function terminal(hit: TierHit, before: Step[], stage: 'Admin' | 'Baseline'): Path {
  return {
    decision: hit.rule.action === 'Accept' ? 'yes' : 'no',
    steps: [...before, hit],
    certain: hit.certain,
    stage,
    hit,
  };
}

function fallThrough(baselinePass: TierHit | undefined, before: Step[]): Path {
  const steps: Step[] =
    baselinePass === undefined ? [...before, 'default'] : [...before, baselinePass, 'default'];
  return { decision: 'yes', steps, certain: baselinePass?.certain ?? true, stage: 'default' };
}

function traceOf(
  input: TierInput,
  paths: Path[],
  baselineOutcome: () => TierOutcome,
  undefinedOrder: string | undefined,
  render: Render,
): { decision: Tri; trace: TierTrace } {
  const decisions = new Set(paths.map((p) => p.decision));
  const [only] = decisions;
  const decision: Tri = decisions.size === 1 && only !== undefined ? only : 'unknown';
  const dir = input.direction.toLowerCase();
  const chosen =
    paths.find((p) => p.decision === decision && p.certain) ?? paths.find((p) => p.decision === decision);
  const trace: TierTrace =
    chosen !== undefined && decision !== 'unknown'
      ? decided(chosen, dir, undefinedOrder, render)
      : undecided(paths, dir, undefinedOrder, render);
  if (chosen?.pass !== undefined) trace.pass = chosen.pass;
  const uncertain = paths.map(uncertainHit).find((h) => h !== undefined);
  if (uncertain !== undefined) trace.uncertain = uncertain;
  if (chosen?.stage === 'NetworkPolicy' && chosen.decision === 'yes' && input.baseline.length > 0) {
    // What the Baseline tier would have done, had no NetworkPolicy isolated the pod.
    const [first] = baselineOutcome().possible;
    if (first !== undefined && first !== 'none' && first.certain && first.rule.action === 'Deny') {
      trace.overriddenBaseline = first;
    }
  }
  return { decision, trace };
}

/** The hit that makes a path uncertain: the Pass that led to it, or its own deciding rule. */
function uncertainHit(p: Path): TierHit | undefined {
  if (p.pass !== undefined && !p.pass.certain) return p.pass;
  if (p.hit !== undefined && !p.hit.certain) return p.hit;
  return undefined;
}

function decided(p: Path, dir: string, undefinedOrder: string | undefined, render: Render): TierTrace {
  const fell =
    p.stage === 'default' && p.pass !== undefined
      ? ` (the Pass of ${p.pass.policy.key} falls through to default allow: nothing below it decides)`
      : '';
  const order =
    undefinedOrder === undefined ? '' : ` (${undefinedOrder}, but every order gives the same answer)`;
  const trace: TierTrace = {
    decidedBy: p.stage,
    reason: `${dir}: ${render(p)}${fell}${order}`,
  };
  if (p.hit !== undefined) trace.hit = p.hit;
  return trace;
}

function undecided(
  paths: Path[],
  dir: string,
  undefinedOrder: string | undefined,
  render: Render,
): TierTrace {
  const unsure = paths.map(uncertainHit).find((h) => h !== undefined);
  const cause =
    undefinedOrder ??
    (unsure !== undefined
      ? `${formatHit(unsure)} may match (${unsure.why ?? 'unknown'})`
      : 'a NetworkPolicy rule hinges on an address that is not known');
  const possible = [...new Set(paths.map((p) => `${WORD[p.decision]}: ${render(p)}`))];
  const trace: TierTrace = {
    decidedBy: 'undecided',
    reason: `${dir}: unknown — ${cause}; possible outcomes: ${possible.join(' | ')}`,
  };
  if (undefinedOrder !== undefined) trace.undefinedOrder = undefinedOrder;
  return trace;
}

const WORD: Record<Tri, string> = { yes: 'allowed', no: 'denied', unknown: 'undecided' };

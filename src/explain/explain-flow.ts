// One ConnectivityTest flow: resolve its source and target, predict each target endpoint, fold in DNS
// for name-based targets, compare with the expectation and name the failure mode.
import type { Expectation, Flow, Prediction } from '../api/types.js';
import { inFamily, triAnd, type OutOfModelIndex, type PolicyEngine, type Tri } from '../policy/index.js';
import type { FlowObserver } from '../coverage/flow-observation.js';
import { clusterDecider, type ClusterDecider } from './cluster-decider.js';
import { combineTargets, type TargetPrediction } from './combine.js';
import { diagnose } from './diagnose.js';
import { dnsCheckDiagnosis } from './diagnose-dns-check.js';
import type { DnsCheck, DnsChecker } from './dns.js';
import type { OrPeerRule, PolicyFinding } from './findings.js';
import { outOfModelHits, withOutOfModel, type OutOfModelSide, type StandingDenial } from './out-of-model.js';
import type { PodFinder } from './pod-finder.js';
import type { ServiceInfo } from './read-service.js';
import type { ResolvedSource, SourceResolver } from './resolve-source.js';
import { resolveTarget, type ResolvedTarget } from './resolve-target.js';

export interface FlowExplanation {
  namespace: string;
  test: string;
  flow: string;
  file: string;
  from: string;
  to: string;
  port: number;
  protocol: string;
  expected: Expectation;
  predicted: Prediction;
  /** true: the policies agree with the expectation; false: they contradict it; null: Unknown. */
  agrees: boolean | null;
  reasons: string[];
  /** The recognized failure modes, each `category: sentence`; empty when none applies. */
  diagnosis: string[];
  /**
   * Whether the source may reach DNS, for a target reached by name: false when its egress is isolated and
   * nothing admits UDP 53 to kube-dns. Absent when the target needs no DNS or the answer is unknown.
   */
  dnsAllowed?: boolean;
  /** With `dnsAllowed: false`: the Admin-tier rule that denies DNS, which no NetworkPolicy can reopen. */
  dnsDeniedBy?: string;
  /**
   * A Service target that certainly has no endpoint to serve the flow, and why (resolve-target.ts). The
   * prediction stays what the policies say; a probe would be rejected before any policy sees it.
   */
  noEndpoints?: string;
  /**
   * CNI-specific policies that may decide the flow (out-of-model.ts), and which side each may select; the
   * prediction is then Unknown and no diagnosis may blame the CNI for not enforcing NetworkPolicy.
   */
  outOfModel?: OutOfModelSide[];
  /**
   * The Admin or Baseline policy that decides the prediction (cluster-decider.ts): a CNI may enforce
   * NetworkPolicy and not it, so the verdict's diagnosis must not put a contradiction down to NetworkPolicy.
   */
  clusterDecider?: ClusterDecider;
}

export interface ExplainContext {
  engine: PolicyEngine;
  finder: PodFinder;
  services: ReadonlyMap<string, ServiceInfo>;
  servicesByIp: ReadonlyMap<string, ServiceInfo>;
  dns: DnsChecker;
  sources: SourceResolver;
  /** The findings a diagnosis may quote (findingsForFlows in diagnose.ts). */
  findings: readonly PolicyFinding[];
  orRules: ReadonlyMap<string, readonly OrPeerRule[]>;
  outOfModel?: OutOfModelIndex;
  /** Told each flow's predictions, for coverage (src/coverage); the explanation does not change. */
  observe?: FlowObserver;
}

export function explainFlow(
  test: { namespace: string; name: string; file: string },
  flow: Flow,
  ctx: ExplainContext,
): FlowExplanation {
  const protocol = flow.protocol ?? 'TCP';
  const base = {
    namespace: test.namespace,
    test: test.name,
    flow: flow.name,
    file: test.file,
    port: flow.port,
    protocol,
    expected: flow.expect,
  };
  const { source, target } = inFlowFamily(
    flow,
    ctx.sources.resolve(test.namespace, flow.from),
    resolveTarget(flow, {
      testNamespace: test.namespace,
      finder: ctx.finder,
      services: ctx.services,
      servicesByIp: ctx.servicesByIp,
    }),
  );
  const from = 'endpoint' in source ? `${source.endpoint.namespace}/${source.endpoint.name}` : test.namespace;
  const unserved =
    target.noEndpoints === undefined
      ? {}
      : { noEndpoints: target.noEndpoints, diagnosis: [`no endpoints: ${target.noEndpoints}`] };
  if (!('endpoint' in source) || target.problem !== undefined) {
    ctx.observe?.({
      flow: `${test.namespace}/${test.name}/${flow.name}`,
      ...('endpoint' in source ? { source: source.endpoint } : {}),
      targets: target.problem === undefined ? target.targets.map((t) => t.endpoint) : [],
      paths: [],
    });
    const reasons = ['problem' in source ? source.problem : '', target.problem ?? ''].filter((r) => r !== '');
    return {
      ...base,
      from,
      to: target.description,
      predicted: 'Unknown',
      agrees: null,
      reasons: [...reasons, ...target.notes],
      diagnosis: [],
      ...unserved,
    };
  }
  const preds: TargetPrediction[] = target.targets.map((t) => ({
    target: t,
    prediction: ctx.engine.predict({ from: source.endpoint, to: t.endpoint, port: t.port, protocol }),
  }));
  const combined = combineTargets(preds);
  const dns = target.needsDns ? ctx.dns.check(source.endpoint) : undefined;
  ctx.observe?.({
    flow: `${test.namespace}/${test.name}/${flow.name}`,
    source: source.endpoint,
    targets: preds.map((p) => p.target.endpoint),
    paths: [
      ...preds.map((p) => ({ from: source.endpoint, to: p.target.endpoint, prediction: p.prediction })),
      ...(dns?.query === undefined ? [] : [{ from: source.endpoint, ...dns.query }]),
    ],
  });
  const verdict = triAnd(toTri(combined.predicted), dns?.decision ?? 'yes');
  const predicted: Prediction = verdict === 'yes' ? 'Allowed' : verdict === 'no' ? 'Denied' : 'Unknown';
  const namespaces = new Set([
    test.namespace,
    ...target.targets.flatMap((t) => (t.endpoint.kind === 'pod' ? [t.endpoint.namespace] : [])),
  ]);
  const explanation: FlowExplanation = {
    ...base,
    from,
    to: target.description,
    predicted,
    agrees: predicted === 'Unknown' ? null : predicted === flow.expect,
    reasons: [
      ...source.notes,
      ...target.notes,
      ...(dns?.reasons ?? []),
      ...combined.reasons,
      ...(dns?.notes ?? []),
    ],
    ...(dns?.decision === 'yes' ? { dnsAllowed: true } : dns?.decision === 'no' ? { dnsAllowed: false } : {}),
    ...(dns?.adminDeny === undefined ? {} : { dnsDeniedBy: dns.adminDeny }),
    diagnosis: [
      ...dnsCheckDiagnosis(flow, predicted, preds),
      ...diagnose({
        expected: flow.expect,
        predicted,
        targets: preds,
        ...(dns === undefined ? {} : { dns }),
        namespaces,
        findings: ctx.findings,
        orRules: ctx.orRules,
      }),
      // Last: the operator appends the first item to its sentence as the policies' reason.
      ...(unserved.diagnosis ?? []),
    ],
    ...(unserved.noEndpoints === undefined ? {} : { noEndpoints: unserved.noEndpoints }),
  };
  const decider = clusterDecider(predicted, preds, dns);
  if (decider !== undefined) explanation.clusterDecider = decider;
  // A layer after NetworkPolicy: CNI-specific policies that may select either side make it Unknown.
  const endpoints = target.targets.map((t) => t.endpoint);
  const hits = outOfModelHits(ctx.outOfModel, source.endpoint, endpoints);
  if (hits.length === 0 || predicted !== 'Denied') return withOutOfModel(explanation, hits);
  const selected = (to: TargetPrediction) =>
    outOfModelHits(ctx.outOfModel, source.endpoint, [to.target.endpoint]).some(
      (h) => h.side === 'destination',
    );
  return withOutOfModel(explanation, hits, standingDenial(preds, dns, hits, selected));
}

/**
 * Which side still denies a Denied flow whatever the out-of-model objects do: a flow passes only through
 * both the source's egress and the destination's ingress, so a side none of them selects that denies it is
 * final. DNS is the source's egress too. Undefined when every denying side may be decided elsewhere.
 */
function standingDenial(
  preds: readonly TargetPrediction[],
  dns: DnsCheck | undefined,
  hits: readonly { side: 'source' | 'destination' }[],
  destinationSelected: (t: TargetPrediction) => boolean,
): StandingDenial | undefined {
  if (hits.some((h) => h.side === 'source')) {
    return preds.every((t) => t.prediction.ingress.decision === 'no' && !destinationSelected(t))
      ? 'destination'
      : undefined;
  }
  if (dns?.decision === 'no' || preds.every((t) => t.prediction.egress.decision === 'no')) return 'source';
  const each = preds.every(
    (t) =>
      t.prediction.egress.decision === 'no' ||
      (t.prediction.ingress.decision === 'no' && !destinationSelected(t)),
  );
  if (!each) return undefined;
  return preds.every((t) => t.prediction.ingress.decision === 'no') ? 'destination' : 'each target';
}

/**
 * A flow that names its family is predicted in it: each pod with its address of that family (ip-family.ts),
 * so an ipBlock of the other family never matches. The probe reaches a Service of a named family at that
 * family's clusterIP (plan/run-plan.ts), so it needs no DNS.
 */
function inFlowFamily(
  flow: Flow,
  source: ResolvedSource,
  target: ResolvedTarget,
): { source: ResolvedSource; target: ResolvedTarget } {
  const family = flow.ipFamily;
  if (family === undefined) return { source, target };
  return {
    source: 'endpoint' in source ? { ...source, endpoint: inFamily(source.endpoint, family) } : source,
    target: {
      ...target,
      targets: target.targets.map((t) => ({ ...t, endpoint: inFamily(t.endpoint, family) })),
      needsDns: target.needsDns && flow.to.service === undefined,
    },
  };
}

function toTri(p: Prediction): Tri {
  return p === 'Allowed' ? 'yes' : p === 'Denied' ? 'no' : 'unknown';
}

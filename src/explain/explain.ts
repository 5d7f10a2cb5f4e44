// From objects (already loaded from files) to one explanation per ConnectivityTest flow. This is the pure
// path the benchmark measures: build the snapshot, compile policies once, then predict each flow.
import { CoverageCollector } from '../coverage/coverage-report.js';
import type { CoverageReport } from '../coverage/coverage-types.js';
import { endpointWorkloads, type WorkloadSource } from '../coverage/workload-coverage.js';
import type { SourcedObject } from '../manifest/load.js';
import { PolicyEngine, type CompiledPolicy, type PodEndpoint } from '../policy/index.js';
import { OutOfModelIndex } from '../policy/out-of-model/index.js';
import { adminDenyFindings, clusterPolicyFindings } from './cluster-findings.js';
import { findingsForFlows } from './diagnose.js';
import { DNS_NAMESPACE, DnsChecker } from './dns.js';
import type { ExplainInputError } from './errors.js';
import { explainFlow, type ExplainContext, type FlowExplanation } from './explain-flow.js';
import { findingsOf, orPeerRules, type OrPeerRule, type PolicyFinding } from './findings.js';
import { outOfModelFindings } from './out-of-model.js';
import { PodFinder } from './pod-finder.js';
import { SourceResolver } from './resolve-source.js';
import { buildSnapshot, type ClusterSnapshot, type SourcedTest, type TestValidator } from './snapshot.js';

export interface ExplainReport {
  results: FlowExplanation[];
  /** Policy mistakes visible without any flow (selects nothing, ignored rules, OR'ed selectors). */
  findings: PolicyFinding[];
  summary: { flows: number; agree: number; contradict: number; unknown: number };
  /** With `coverage: true`: which rules, isolations and workloads the flows exercise (src/coverage). */
  coverage?: CoverageReport;
}

export interface ExplainOptions {
  coverage?: boolean;
}

export type ExplainOutcome = { report: ExplainReport } | { errors: ExplainInputError[] };

export function explainObjects(
  objects: readonly SourcedObject[],
  validate: TestValidator,
  options: ExplainOptions = {},
): ExplainOutcome {
  const { snapshot, errors } = buildSnapshot(objects, validate);
  if (errors.length > 0) return { errors };
  return { report: explainSnapshot(snapshot, options) };
}

export function explainSnapshot(snap: ClusterSnapshot, options: ExplainOptions = {}): ExplainReport {
  return explainerFor(snap).explain(snap.tests, options);
}

/** Explains tests against one snapshot; what it compiles and indexes is reused for every test. */
export interface Explainer {
  explain(tests: readonly SourcedTest[], options?: ExplainOptions): ExplainReport;
}

/** An Explainer whose pods can change one namespace at a time (the operator's, src/run/predict.ts). */
export interface LiveExplainer extends Explainer {
  /**
   * A namespace's pods are now `pods`: the policies stay compiled, and only what reads that namespace's
   * pods is worked out again (its selector matches, sources, the findings of its policies, DNS when it is
   * kube-system). The explanations are those of a snapshot built from scratch with these pods.
   */
  replacePods(namespace: string, pods: readonly PodEndpoint[]): void;
  /** The explanations alone, without the report's findings (which may read every pod). */
  results(tests: readonly SourcedTest[]): FlowExplanation[];
  /**
   * What the tests' flows exercise, over `workloads` (default: each pod or template is a workload). Uses the
   * compiled policies and the predictions' caches; reads no pod but those the flows and workloads name.
   */
  coverage(tests: readonly SourcedTest[], workloads?: WorkloadSource): CoverageReport;
}

/**
 * Compiles the snapshot's policies and indexes its pods once. The operator keeps one across runs and
 * replaces the pods of a namespace when they change, so a run pays only for its own flows. `finder` holds
 * the pods when given (the operator's, kept across policy changes); else the snapshot's pods.
 */
export function explainerFor(
  snap: ClusterSnapshot,
  finder = new PodFinder(snap.podsByNamespace),
): LiveExplainer {
  const engine = new PolicyEngine({
    namespaces: snap.namespaces,
    policies: snap.policies,
    clusterPolicies: snap.clusterPolicies,
  });
  const podsOf = (ns: string) => finder.podsIn(ns);
  const orRules = new Map<string, OrPeerRule[]>();
  const byNamespace = new Map<string, number[]>();
  engine.policies.forEach((p, i) => {
    const rules = orPeerRules(p);
    if (rules.length > 0) orRules.set(p.key, rules);
    const inNamespace = byNamespace.get(p.namespace);
    if (inNamespace === undefined) byNamespace.set(p.namespace, [i]);
    else inNamespace.push(i);
  });
  const perPolicy = engine.policies.map((p) => findingsOf(p, podsOf));
  const outOfModel = outOfModelFindings(snap.outOfModel, snap.stagedPolicies);
  // Cluster policies select across namespaces, so their findings read every pod: worked out only for a
  // report that lists them, once per state of the pods (the operator's predictions never read them).
  let clusterFindings: PolicyFinding[] | undefined;
  const flowFindings = () => findingsForFlows([...perPolicy.flat(), ...outOfModel]);
  let stale = false;
  const sources = new SourceResolver(finder);
  const ctx: ExplainContext = {
    engine,
    finder,
    sources,
    services: snap.servicesByKey,
    servicesByIp: snap.servicesByIp,
    dns: new DnsChecker(engine, podsOf),
    findings: flowFindings(),
    orRules,
    outOfModel: new OutOfModelIndex(snap.outOfModel, engine.namespaceLabels),
  };
  const explainAll = (tests: readonly SourcedTest[]): FlowExplanation[] => {
    if (stale) ctx.findings = flowFindings();
    stale = false;
    const results: FlowExplanation[] = [];
    for (const { file, test } of tests) {
      const where = { namespace: test.metadata.namespace ?? 'default', name: test.metadata.name ?? '', file };
      for (const flow of test.spec.flows) results.push(explainFlow(where, flow, ctx));
    }
    return results;
  };
  /** The explanations, with a collector told each flow's predictions. */
  const covered = (tests: readonly SourcedTest[], workloads: WorkloadSource) => {
    const collector = new CoverageCollector(engine, workloads);
    ctx.observe = collector.observe;
    try {
      return { results: explainAll(tests), coverage: collector.report() };
    } finally {
      delete ctx.observe;
    }
  };
  const podWorkloads = () => endpointWorkloads(finder.all());
  return {
    explain(tests, options = {}) {
      const { results, coverage } =
        options.coverage === true ? covered(tests, podWorkloads()) : { results: explainAll(tests) };
      clusterFindings ??= clusterPolicyFindings(engine, finder.all());
      const findings = [
        ...perPolicy.flat(),
        ...clusterFindings,
        ...outOfModel,
        ...adminDenyFindings(results),
      ];
      return {
        results,
        findings,
        summary: summarize(results),
        ...(coverage === undefined ? {} : { coverage }),
      };
    },
    results: explainAll,
    coverage: (tests, workloads = podWorkloads()) => covered(tests, workloads).coverage,
    replacePods(namespace, pods) {
      finder.replace(namespace, pods);
      sources.forget(namespace);
      const policies = byNamespace.get(namespace) ?? [];
      for (const i of policies) perPolicy[i] = findingsOf(engine.policies[i] as CompiledPolicy, podsOf);
      if (policies.length > 0) stale = true;
      if (!engine.cluster.empty) clusterFindings = undefined;
      if (namespace === DNS_NAMESPACE) ctx.dns = new DnsChecker(engine, podsOf);
    },
  };
}

function summarize(results: readonly FlowExplanation[]): ExplainReport['summary'] {
  return {
    flows: results.length,
    agree: results.filter((r) => r.agrees === true).length,
    contradict: results.filter((r) => r.agrees === false).length,
    unknown: results.filter((r) => r.agrees === null).length,
  };
}

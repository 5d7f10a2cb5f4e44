// From objects (already loaded from files) to one explanation per ConnectivityTest flow. This is the pure
// path the benchmark measures: build the snapshot, compile policies once, then predict each flow.
import type { SourcedObject } from '../manifest/load.js';
import { PolicyEngine } from '../policy/index.js';
import { adminDenyFindings, clusterPolicyFindings } from './cluster-findings.js';
import { findingsForFlows } from './diagnose.js';
import { DnsChecker } from './dns.js';
import type { ExplainInputError } from './errors.js';
import { explainFlow, type FlowExplanation } from './explain-flow.js';
import { orPeerRules, policyFindings, type OrPeerRule, type PolicyFinding } from './findings.js';
import { OutOfModelIndex } from '../policy/out-of-model/index.js';
import { outOfModelFindings } from './out-of-model.js';
import { PodFinder } from './pod-finder.js';
import { SourceResolver } from './resolve-source.js';
import { buildSnapshot, type ClusterSnapshot, type SourcedTest, type TestValidator } from './snapshot.js';

export interface ExplainReport {
  results: FlowExplanation[];
  /**
   * Policy mistakes visible without any flow (selects nothing, ignored rules, OR'ed selectors, cluster
   * policies sharing a priority, a Pass to nothing, a Baseline Deny a NetworkPolicy overrides), then the
   * declared Allowed flows an Admin Deny makes impossible.
   */
  findings: PolicyFinding[];
  summary: { flows: number; agree: number; contradict: number; unknown: number };
}

export type ExplainOutcome = { report: ExplainReport } | { errors: ExplainInputError[] };

export function explainObjects(objects: readonly SourcedObject[], validate: TestValidator): ExplainOutcome {
  const { snapshot, errors } = buildSnapshot(objects, validate);
  if (errors.length > 0) return { errors };
  return { report: explainSnapshot(snapshot) };
}

export function explainSnapshot(snap: ClusterSnapshot): ExplainReport {
  return explainerFor(snap).explain(snap.tests);
}

/** Explains tests against one snapshot; what it compiles and indexes is reused for every test. */
export interface Explainer {
  explain(tests: readonly SourcedTest[]): ExplainReport;
}

/**
 * Compiles the snapshot's policies and indexes its pods once. The operator keeps one per state of its
 * caches, so a run pays only for its own flows (src/run/predict.ts).
 */
export function explainerFor(snap: ClusterSnapshot): Explainer {
  const engine = new PolicyEngine({
    namespaces: snap.namespaces,
    policies: snap.policies,
    clusterPolicies: snap.clusterPolicies,
  });
  const podsOf = (ns: string) => snap.podsByNamespace.get(ns) ?? [];
  const orRules = new Map<string, OrPeerRule[]>();
  for (const p of engine.policies) {
    const rules = orPeerRules(p);
    if (rules.length > 0) orRules.set(p.key, rules);
  }
  const findings = [...policyFindings(engine.policies, podsOf), ...clusterPolicyFindings(engine, snap.pods)];
  const finder = new PodFinder(snap.podsByNamespace);
  findings.push(...outOfModelFindings(snap.outOfModel, snap.stagedPolicies));
  const ctx = {
    engine,
    finder,
    sources: new SourceResolver(finder),
    services: snap.servicesByKey,
    servicesByIp: snap.servicesByIp,
    dns: new DnsChecker(engine, podsOf),
    findings: findingsForFlows(findings),
    orRules,
    outOfModel: new OutOfModelIndex(snap.outOfModel, engine.namespaceLabels),
  };
  return {
    explain(tests) {
      const results: FlowExplanation[] = [];
      for (const { file, test } of tests) {
        const where = {
          namespace: test.metadata.namespace ?? 'default',
          name: test.metadata.name ?? '',
          file,
        };
        for (const flow of test.spec.flows) results.push(explainFlow(where, flow, ctx));
      }
      const all = [...findings, ...adminDenyFindings(results)];
      return { results, findings: all, summary: summarize(results) };
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

// The coverage of one set of declared flows over one cluster state: a collector that explain feeds with each
// flow's predictions (observe), then the report — every rule, isolation and workload, with the summary.
import type { PolicyEngine } from '../policy/engine.js';
import type { CoverageCount, CoverageReport, NamespaceCoverage } from './coverage-types.js';
import type { FlowObservation } from './flow-observation.js';
import { RuleLedger } from './rule-coverage.js';
import { WorkloadLedger, type WorkloadSource } from './workload-coverage.js';

export class CoverageCollector {
  private readonly rules: RuleLedger;
  private readonly workloads: WorkloadLedger;

  constructor(engine: PolicyEngine, workloads: WorkloadSource) {
    this.rules = new RuleLedger(engine);
    this.workloads = new WorkloadLedger(workloads, engine);
  }

  readonly observe = (o: FlowObservation): void => {
    for (const path of o.paths) this.rules.observe(o.flow, path);
    this.workloads.observe(o);
  };

  report(): CoverageReport {
    const rules = this.rules.rules();
    const isolations = this.rules.isolationList();
    const workloads = this.workloads.list();
    const peers = rules.flatMap((r) => r.peers);
    return {
      summary: {
        rules: count(rules),
        peers: count(peers),
        isolations: count(isolations),
        workloads: {
          total: workloads.length,
          isolatedIngress: workloads.filter((w) => w.isolated.ingress).length,
          isolatedEgress: workloads.filter((w) => w.isolated.egress).length,
          tested: workloads.filter((w) => w.testedBy.length > 0).length,
        },
      },
      rules,
      isolations,
      workloads,
    };
  }
}

function count(items: readonly { exercised: boolean }[]): CoverageCount {
  return { exercised: items.filter((i) => i.exercised).length, total: items.length };
}

/**
 * The report's figures per namespace, sorted by namespace: NetworkPolicy rules and workloads in theirs,
 * cluster-scoped rules under ''. A namespace with neither has no entry (its series go away).
 */
export function coverageByNamespace(report: CoverageReport): NamespaceCoverage[] {
  const by = new Map<string, NamespaceCoverage>();
  const of = (namespace: string): NamespaceCoverage => {
    let entry = by.get(namespace);
    if (entry === undefined) {
      entry = {
        namespace,
        rules: 0,
        rulesExercised: 0,
        workloads: 0,
        isolatedIngress: 0,
        isolatedEgress: 0,
        tested: 0,
      };
      by.set(namespace, entry);
    }
    return entry;
  };
  for (const r of report.rules) {
    const entry = of(r.namespace ?? '');
    entry.rules += 1;
    if (r.exercised) entry.rulesExercised += 1;
  }
  for (const w of report.workloads) {
    const entry = of(w.namespace);
    entry.workloads += 1;
    if (w.isolated.ingress) entry.isolatedIngress += 1;
    if (w.isolated.egress) entry.isolatedEgress += 1;
    if (w.testedBy.length > 0) entry.tested += 1;
  }
  return [...by.values()].sort((a, b) =>
    a.namespace < b.namespace ? -1 : a.namespace > b.namespace ? 1 : 0,
  );
}

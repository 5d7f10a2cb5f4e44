// The metric families flowprobe exports: names, types, labels and help in one place, so a rename is one
// visible change (and one golden-file diff). Names follow https://prometheus.io/docs/practices/naming/:
// an application prefix, base units (seconds), `_total` on counters, `_timestamp_seconds` for Unix times,
// and the unit before the suffix.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PROBE_DURATION_BUCKETS, RECONCILE_DURATION_BUCKETS } from './buckets.js';
import { FLOW_SERIES } from './flow-state.js';
import { ScrapeTimeMetric, type ScrapeTimeType } from './scrape-time-metric.js';
import { TEST_SERIES, testSamples, type SeriesOf, type TestState } from './test-state.js';

const TEST = ['namespace', 'test'] as const;
const FLOW = ['namespace', 'test', 'flow'] as const;

type TestLabel = (typeof TEST)[number];
type FlowLabel = (typeof FLOW)[number];

export interface Families {
  // Per-flow and per-test families are computed at scrape time from the tests' state (test-state.ts).
  flowPassing: ScrapeTimeMetric<FlowLabel>;
  flowExpectedAllowed: ScrapeTimeMetric<FlowLabel>;
  flowOutcome: ScrapeTimeMetric<FlowLabel | 'outcome'>;
  flowVerdict: ScrapeTimeMetric<FlowLabel | 'verdict'>;
  flowProbeDuration: ScrapeTimeMetric<FlowLabel>;
  flowConsecutiveFailures: ScrapeTimeMetric<FlowLabel>;
  testLastRun: ScrapeTimeMetric<TestLabel>;
  testFlows: ScrapeTimeMetric<TestLabel | 'verdict'>;
  testInterval: ScrapeTimeMetric<TestLabel>;
  runs: ScrapeTimeMetric<TestLabel | 'result'>;
  probes: ScrapeTimeMetric<TestLabel | 'outcome'>;
  probeErrors: ScrapeTimeMetric<TestLabel>;
  testLastAttempt: ScrapeTimeMetric<TestLabel>;
  testCreated: ScrapeTimeMetric<TestLabel>;
  runFailures: ScrapeTimeMetric<TestLabel>;
  probeDuration: Histogram<'outcome'>;
  reconcileDuration: Histogram;
  workQueueDepth: Gauge;
  probePodsAlive: Gauge;
  leader: Gauge;
  apiErrors: Counter<'verb'>;
  heapUsed: Gauge;
  heapLimit: Gauge;
  policyRules: Gauge<'namespace'>;
  policyRulesExercised: Gauge<'namespace'>;
  workloads: Gauge<'namespace'>;
  workloadsIsolated: Gauge<'namespace' | 'direction'>;
  workloadsTested: Gauge<'namespace'>;
}

/** The V8 heap, as v8.getHeapStatistics() reports it (bytes); read at each scrape. */
export interface HeapFigures {
  used_heap_size: number;
  heap_size_limit: number;
}

/**
 * `tests` gives the known tests, in the order first known, whenever a scrape renders the per-test families;
 * `heap` the V8 heap's figures.
 */
export function createFamilies(
  registry: Registry,
  tests: () => Iterable<TestState>,
  heap: () => HeapFigures,
): Families {
  const registers = [registry];
  const scrapeTime: MakeScrapeTime = (type, name, help, labelNames, of) =>
    new ScrapeTimeMetric({ type, name, help, labelNames, registers }, () => testSamples(tests(), of));
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  return {
    ...flowFamilies(scrapeTime),
    ...testFamilies(scrapeTime),
    probeDuration: new Histogram({
      name: 'flowprobe_probe_duration_seconds',
      help: 'Duration of each probe (all attempts until it settled), by observed outcome.',
      labelNames: ['outcome'] as const,
      buckets: [...PROBE_DURATION_BUCKETS],
      registers,
    }),
    ...operatorFamilies(gauge, counter, registry),
    ...heapFamilies(registry, heap),
    ...coverageFamilies(gauge),
  };
}

type MakeScrapeTime = <L extends string>(
  type: ScrapeTimeType,
  name: string,
  help: string,
  labelNames: readonly L[],
  of: SeriesOf,
) => ScrapeTimeMetric<L>;
type MakeGauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => Gauge<L>;
type MakeCounter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => Counter<L>;

function flowFamilies(scrapeTime: MakeScrapeTime) {
  return {
    flowPassing: scrapeTime(
      'gauge',
      'flowprobe_flow_passing',
      '1 if the flow met its expectation in the last run.',
      FLOW,
      FLOW_SERIES.passing,
    ),
    flowExpectedAllowed: scrapeTime(
      'gauge',
      'flowprobe_flow_expected_allowed',
      '1 if the flow is expected Allowed, 0 if expected Denied.',
      FLOW,
      FLOW_SERIES.expectedAllowed,
    ),
    flowOutcome: scrapeTime(
      'gauge',
      'flowprobe_flow_outcome',
      'Observed outcome of the flow in the last run: 1 for the observed outcome, 0 for the others.',
      [...FLOW, 'outcome'],
      FLOW_SERIES.outcome,
    ),
    flowVerdict: scrapeTime(
      'gauge',
      'flowprobe_flow_verdict',
      'Verdict of the flow in the last run: 1 for the verdict, 0 for the others.',
      [...FLOW, 'verdict'],
      FLOW_SERIES.verdict,
    ),
    flowProbeDuration: scrapeTime(
      'gauge',
      'flowprobe_flow_probe_duration_seconds',
      'Duration of the flow probe in the last run.',
      FLOW,
      FLOW_SERIES.probeDuration,
    ),
    flowConsecutiveFailures: scrapeTime(
      'gauge',
      'flowprobe_flow_consecutive_failures',
      'Number of consecutive runs, up to the last one, in which the flow had verdict Fail.',
      FLOW,
      FLOW_SERIES.consecutiveFailures,
    ),
  };
}

function testFamilies(scrapeTime: MakeScrapeTime) {
  return {
    testLastRun: scrapeTime(
      'gauge',
      'flowprobe_test_last_run_timestamp_seconds',
      'Unix time at which the last run of the test completed.',
      TEST,
      TEST_SERIES.lastRun,
    ),
    testFlows: scrapeTime(
      'gauge',
      'flowprobe_test_flows',
      'Flows of the test by verdict in the last run.',
      [...TEST, 'verdict'],
      TEST_SERIES.flows,
    ),
    testInterval: scrapeTime(
      'gauge',
      'flowprobe_test_interval_seconds',
      'Re-run period of the test (spec.interval); absent for a test that runs once per spec change.',
      TEST,
      TEST_SERIES.interval,
    ),
    runs: scrapeTime(
      'counter',
      'flowprobe_runs_total',
      'Completed runs of the test by result (Pass, Fail, Error).',
      [...TEST, 'result'],
      TEST_SERIES.runs,
    ),
    probes: scrapeTime(
      'counter',
      'flowprobe_probes_total',
      'Probed flows of the test by observed outcome.',
      [...TEST, 'outcome'],
      TEST_SERIES.probes,
    ),
    probeErrors: scrapeTime(
      'counter',
      'flowprobe_probe_errors_total',
      'Probe pods of the test that failed as a whole (not created, not started, deadline exceeded, output unreadable).',
      TEST,
      TEST_SERIES.probeErrors,
    ),
    testLastAttempt: scrapeTime(
      'gauge',
      'flowprobe_test_last_attempt_timestamp_seconds',
      'Unix time at which the last run of the test ended, whether it completed or not.',
      TEST,
      TEST_SERIES.lastAttempt,
    ),
    testCreated: scrapeTime(
      'gauge',
      'flowprobe_test_created_timestamp_seconds',
      'Unix time at which the test was created (metadata.creationTimestamp).',
      TEST,
      TEST_SERIES.created,
    ),
    runFailures: scrapeTime(
      'counter',
      'flowprobe_run_failures_total',
      'Runs of the test that could not complete (probe pods not created, the API server unavailable).',
      TEST,
      TEST_SERIES.runFailures,
    ),
  };
}

function operatorFamilies(gauge: MakeGauge, counter: MakeCounter, registry: Registry) {
  return {
    reconcileDuration: new Histogram({
      name: 'flowprobe_reconcile_duration_seconds',
      help: 'Duration of one reconcile of a ConnectivityTest.',
      buckets: [...RECONCILE_DURATION_BUCKETS],
      registers: [registry],
    }),
    workQueueDepth: gauge('flowprobe_work_queue_depth', 'ConnectivityTests waiting in the work queue.', []),
    probePodsAlive: gauge('flowprobe_probe_pods_alive', 'Probe pods that currently exist.', []),
    leader: gauge('flowprobe_leader', '1 if this operator replica holds the leader lease.', []),
    apiErrors: counter('flowprobe_api_errors_total', 'Failed Kubernetes API requests by verb.', ['verb']),
  };
}

/**
 * Heap headroom: the operator's caches grow with the cluster, and the heap's cap is derived from the
 * container's memory limit (src/cli/heap-size.ts). Used over limit near 1 means the next growth ends in
 * "JavaScript heap out of memory"; the FlowProbeHeapNearLimit alert fires at 80 %.
 */
function heapFamilies(registry: Registry, heap: () => HeapFigures) {
  const registers = [registry];
  return {
    heapUsed: new Gauge({
      name: 'flowprobe_heap_used_bytes',
      help: 'V8 heap in use, all spaces (v8.getHeapStatistics().used_heap_size).',
      registers,
      collect() {
        this.set(heap().used_heap_size);
      },
    }),
    heapLimit: new Gauge({
      name: 'flowprobe_heap_limit_bytes',
      help: "V8 heap size limit: the old-space cap derived from the container's memory limit, plus the young generation (heap_size_limit).",
      registers,
      collect() {
        this.set(heap().heap_size_limit);
      },
    }),
  };
}

/**
 * Policy coverage per namespace (src/coverage): set as a whole whenever the operator recomputes it, so a
 * namespace that has gone loses its series. Cluster-scoped policies' rules count under namespace="".
 */
function coverageFamilies(gauge: MakeGauge) {
  return {
    policyRules: gauge(
      'flowprobe_policy_rules',
      'Rules of the namespace\'s NetworkPolicies (cluster-scoped policies\' under namespace="").',
      ['namespace'],
    ),
    policyRulesExercised: gauge(
      'flowprobe_policy_rules_exercised',
      'Of those rules, the ones at least one declared flow exercises (its prediction is decided by the rule).',
      ['namespace'],
    ),
    workloads: gauge(
      'flowprobe_workloads',
      'Workloads of the namespace: its running pods grouped by their labels, without per-revision ones.',
      ['namespace'],
    ),
    workloadsIsolated: gauge(
      'flowprobe_workloads_isolated',
      'Workloads some NetworkPolicy isolates, by direction (ingress, egress).',
      ['namespace', 'direction'],
    ),
    workloadsTested: gauge(
      'flowprobe_workloads_tested',
      'Workloads that a declared flow reaches as its source or a target.',
      ['namespace'],
    ),
  };
}

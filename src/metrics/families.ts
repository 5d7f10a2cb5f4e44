// The metric families flowprobe exports: names, types, labels and help in one place, so a rename is one
// visible change (and one golden-file diff). Names follow https://prometheus.io/docs/practices/naming/:
// an application prefix, base units (seconds), `_total` on counters, `_timestamp_seconds` for Unix times,
// and the unit before the suffix.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { PROBE_DURATION_BUCKETS, RECONCILE_DURATION_BUCKETS } from './buckets.js';
import { FLOW_SERIES, renderFlows, type FlowSeriesOf, type TestFlows } from './flow-state.js';
import { ScrapeTimeGauge } from './scrape-time-gauge.js';

const TEST = ['namespace', 'test'] as const;
const FLOW = ['namespace', 'test', 'flow'] as const;

type TestLabel = (typeof TEST)[number];
type FlowLabel = (typeof FLOW)[number];

export interface Families {
  // Per-flow families are computed at scrape time from the tests' flow state (flow-state.ts).
  flowPassing: ScrapeTimeGauge<FlowLabel>;
  flowExpectedAllowed: ScrapeTimeGauge<FlowLabel>;
  flowOutcome: ScrapeTimeGauge<FlowLabel | 'outcome'>;
  flowVerdict: ScrapeTimeGauge<FlowLabel | 'verdict'>;
  flowProbeDuration: ScrapeTimeGauge<FlowLabel>;
  flowConsecutiveFailures: ScrapeTimeGauge<FlowLabel>;
  testLastRun: Gauge<TestLabel>;
  testFlows: Gauge<TestLabel | 'verdict'>;
  testInterval: Gauge<TestLabel>;
  runs: Counter<TestLabel | 'result'>;
  probes: Counter<TestLabel | 'outcome'>;
  probeErrors: Counter<TestLabel>;
  probeDuration: Histogram<'outcome'>;
  reconcileDuration: Histogram;
  workQueueDepth: Gauge;
  probePodsAlive: Gauge;
  leader: Gauge;
  apiErrors: Counter<'verb'>;
}

/** `tests` gives the known tests, in the order first known, whenever a scrape renders the per-flow families. */
export function createFamilies(registry: Registry, tests: () => Iterable<TestFlows>): Families {
  const registers = [registry];
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  return {
    ...flowFamilies(
      <L extends string>(name: string, help: string, labelNames: readonly L[], of: FlowSeriesOf) =>
        new ScrapeTimeGauge<L>({ name, help, labelNames, registers }, () => renderFlows(tests(), of)),
    ),
    ...testFamilies(gauge, counter),
    probeDuration: new Histogram({
      name: 'flowprobe_probe_duration_seconds',
      help: 'Duration of each probe (all attempts until it settled), by observed outcome.',
      labelNames: ['outcome'] as const,
      buckets: [...PROBE_DURATION_BUCKETS],
      registers,
    }),
    ...operatorFamilies(gauge, counter, registry),
  };
}

type MakeGauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) => Gauge<L>;
type MakeFlowGauge = <L extends string>(
  name: string,
  help: string,
  labelNames: readonly L[],
  of: FlowSeriesOf,
) => ScrapeTimeGauge<L>;
type MakeCounter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => Counter<L>;

function flowFamilies(gauge: MakeFlowGauge) {
  return {
    flowPassing: gauge(
      'flowprobe_flow_passing',
      '1 if the flow met its expectation in the last run.',
      FLOW,
      FLOW_SERIES.passing,
    ),
    flowExpectedAllowed: gauge(
      'flowprobe_flow_expected_allowed',
      '1 if the flow is expected Allowed, 0 if expected Denied.',
      FLOW,
      FLOW_SERIES.expectedAllowed,
    ),
    flowOutcome: gauge(
      'flowprobe_flow_outcome',
      'Observed outcome of the flow in the last run: 1 for the observed outcome, 0 for the others.',
      [...FLOW, 'outcome'],
      FLOW_SERIES.outcome,
    ),
    flowVerdict: gauge(
      'flowprobe_flow_verdict',
      'Verdict of the flow in the last run: 1 for the verdict, 0 for the others.',
      [...FLOW, 'verdict'],
      FLOW_SERIES.verdict,
    ),
    flowProbeDuration: gauge(
      'flowprobe_flow_probe_duration_seconds',
      'Duration of the flow probe in the last run.',
      FLOW,
      FLOW_SERIES.probeDuration,
    ),
    flowConsecutiveFailures: gauge(
      'flowprobe_flow_consecutive_failures',
      'Number of consecutive runs, up to the last one, in which the flow had verdict Fail.',
      FLOW,
      FLOW_SERIES.consecutiveFailures,
    ),
  };
}

function testFamilies(gauge: MakeGauge, counter: MakeCounter) {
  return {
    testLastRun: gauge(
      'flowprobe_test_last_run_timestamp_seconds',
      'Unix time at which the last run of the test completed.',
      TEST,
    ),
    testFlows: gauge('flowprobe_test_flows', 'Flows of the test by verdict in the last run.', [
      ...TEST,
      'verdict',
    ]),
    testInterval: gauge(
      'flowprobe_test_interval_seconds',
      'Re-run period of the test (spec.interval); absent for a test that runs once per spec change.',
      TEST,
    ),
    runs: counter('flowprobe_runs_total', 'Completed runs of the test by result (Pass, Fail, Error).', [
      ...TEST,
      'result',
    ]),
    probes: counter('flowprobe_probes_total', 'Probed flows of the test by observed outcome.', [
      ...TEST,
      'outcome',
    ]),
    probeErrors: counter(
      'flowprobe_probe_errors_total',
      'Probe pods of the test that failed as a whole (not created, not started, deadline exceeded, output unreadable).',
      TEST,
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

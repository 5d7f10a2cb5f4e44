// Prometheus metrics of the operator (DESIGN.md, "Metrics"). Start at create-metrics.ts: the calls the
// operator makes; families.ts lists every exported family; run-series.ts says what a run records;
// test-state.ts keeps what each test's series are rendered from at scrape time; http-server.ts serves
// /metrics (streamed by exposition.ts), /healthz and /readyz. deploy/monitoring/ holds the alerts built on them.
export {
  createMetrics,
  type FlowprobeMetrics,
  type MetricsOptions,
  type RegisterTestOptions,
} from './create-metrics.js';
export {
  createMetricsServer,
  type MetricsServer,
  type MetricsServerOptions,
  type Readiness,
} from './http-server.js';
export { expositionChunks } from './exposition.js';
export {
  API_VERBS,
  OUTCOMES,
  RUN_RESULTS,
  VERDICTS,
  apiVerb,
  type ApiVerb,
  type RunResult,
  type TestRef,
} from './label-values.js';
export {
  runResult,
  shapeRun,
  type ProbeObservation,
  type RunOptions,
  type RunSeries,
  type TestSeries,
} from './run-series.js';
export { type FlowState } from './flow-state.js';
export { nextStreak, previousStreak } from './failure-streak.js';
export { PROBE_DURATION_BUCKETS, RECONCILE_DURATION_BUCKETS } from './buckets.js';

// What the operator remembers of each test's last run, flow by flow, and the per-flow series rendered from
// it at scrape time. prom-client would hold every series as a hash key string, an entry and a labels object
// (~250 bytes each, 14 series per flow with the one-hot families): ~33 MB at 1,000 tests × 10 flows. This
// state is one small object per flow; the series exist only while a scrape is being written.
import type { Expectation, Outcome, Verdict } from '../api/types.js';
import { OUTCOMES, VERDICTS, type TestRef } from './label-values.js';

/** One flow of the last run. `passing` is not kept: it is `verdict === 'Pass'`, as the status says it. */
export interface FlowState {
  flow: string;
  outcome: Outcome;
  verdict: Verdict;
  expected: Expectation;
  /** Absent when the probe reported no duration (e.g. its pod never ran). */
  durationSeconds?: number;
  consecutiveFailures: number;
}

/** A test the operator knows, with the flows of its last run in that run's order (none before a run). */
export interface TestFlows {
  readonly ref: TestRef;
  flows: readonly FlowState[];
}

export interface FlowSample {
  labels: Record<string, string>;
  value: number;
}

type FlowLabels = Readonly<Record<'namespace' | 'test' | 'flow', string>>;
type Emit = (labels: Record<string, string>, value: number) => void;
/** The series one flow contributes to one family. */
export type FlowSeriesOf = (s: FlowState, labels: FlowLabels, emit: Emit) => void;

/** The six per-flow families; one-hot families list every known value, the observed one at 1. */
export const FLOW_SERIES = {
  passing: (s, labels, emit) => {
    emit(labels, s.verdict === 'Pass' ? 1 : 0);
  },
  expectedAllowed: (s, labels, emit) => {
    emit(labels, s.expected === 'Allowed' ? 1 : 0);
  },
  outcome: (s, labels, emit) => {
    for (const outcome of OUTCOMES) emit({ ...labels, outcome }, outcome === s.outcome ? 1 : 0);
  },
  verdict: (s, labels, emit) => {
    for (const verdict of VERDICTS) emit({ ...labels, verdict }, verdict === s.verdict ? 1 : 0);
  },
  probeDuration: (s, labels, emit) => {
    if (s.durationSeconds !== undefined) emit(labels, s.durationSeconds);
  },
  consecutiveFailures: (s, labels, emit) => {
    emit(labels, s.consecutiveFailures);
  },
} satisfies Record<string, FlowSeriesOf>;

/**
 * One family's samples: tests in the order the operator first knew them, each test's flows in its last
 * run's order, so the same state gives the same text on every scrape. A flow missing from the last run,
 * or a forgotten test, has no series simply because it is not in the state.
 */
export function renderFlows(tests: Iterable<TestFlows>, seriesOf: FlowSeriesOf): FlowSample[] {
  const samples: FlowSample[] = [];
  const emit: Emit = (labels, value) => samples.push({ labels, value });
  for (const { ref, flows } of tests) {
    for (const s of flows) seriesOf(s, { namespace: ref.namespace, test: ref.test, flow: s.flow }, emit);
  }
  return samples;
}

/** Flow name → consecutive failing runs up to the last run, as `shapeRun` continues them. */
export function streaksOf(flows: readonly FlowState[]): Map<string, number> {
  return new Map(flows.map((s) => [s.flow, s.consecutiveFailures]));
}

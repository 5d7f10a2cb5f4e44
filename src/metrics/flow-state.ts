// What the operator remembers of each flow of a test's last run, and the per-flow series rendered from it at
// scrape time (see test-state.ts for why they are not stored in prom-client).
import type { Expectation, Outcome, Verdict } from '../api/types.js';
import { OUTCOMES, VERDICTS } from './label-values.js';
import type { Emit, SeriesOf } from './test-state.js';

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

type FlowLabels = Readonly<Record<'namespace' | 'test' | 'flow', string>>;
/** The series one flow contributes to one family. */
type FlowSeriesOf = (s: FlowState, labels: FlowLabels, emit: Emit) => void;

/** A per-flow family's series of one test: each flow of its last run, in that run's order. */
function perFlow(seriesOf: FlowSeriesOf): SeriesOf {
  return ({ ref, flows }, emit) => {
    for (const s of flows) seriesOf(s, { namespace: ref.namespace, test: ref.test, flow: s.flow }, emit);
  };
}

/** The six per-flow families; one-hot families list every known value, the observed one at 1. */
export const FLOW_SERIES = {
  passing: perFlow((s, labels, emit) => {
    emit(labels, s.verdict === 'Pass' ? 1 : 0);
  }),
  expectedAllowed: perFlow((s, labels, emit) => {
    emit(labels, s.expected === 'Allowed' ? 1 : 0);
  }),
  outcome: perFlow((s, labels, emit) => {
    for (const outcome of OUTCOMES) emit({ ...labels, outcome }, outcome === s.outcome ? 1 : 0);
  }),
  verdict: perFlow((s, labels, emit) => {
    for (const verdict of VERDICTS) emit({ ...labels, verdict }, verdict === s.verdict ? 1 : 0);
  }),
  probeDuration: perFlow((s, labels, emit) => {
    if (s.durationSeconds !== undefined) emit(labels, s.durationSeconds);
  }),
  consecutiveFailures: perFlow((s, labels, emit) => {
    emit(labels, s.consecutiveFailures);
  }),
} satisfies Record<string, SeriesOf>;

/** Flow name → consecutive failing runs up to the last run, as `shapeRun` continues them. */
export function streaksOf(flows: readonly FlowState[]): Map<string, number> {
  return new Map(flows.map((s) => [s.flow, s.consecutiveFailures]));
}

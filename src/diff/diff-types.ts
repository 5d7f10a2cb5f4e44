// The contract of `flowprobe diff -o json`, which other renderers (the HTML report) read as well: keep the
// field names. `declared` lists every declared flow whose prediction or expectation changed between the base and the head
// manifests; `undeclared` the paths between workloads both sides know whose prediction changed although no
// ConnectivityTest declares them. Equal trees give two empty lists.
import type { Expectation } from '../api/types.js';

/** A prediction, or `Absent` where the flow (its test) exists on one side only. */
export type DiffPrediction = 'Allowed' | 'Denied' | 'Unknown' | 'Absent';

export interface DeclaredChange {
  namespace: string;
  test: string;
  flow: string;
  /**
   * The head's expectation (the declared intent); the base's for a test the head no longer has. When it
   * changed, `reasons` starts with `expectation changed: BASE → HEAD`.
   */
  expected: Expectation;
  before: DiffPrediction;
  after: DiffPrediction;
  /**
   * The flow agreed with the base's expectation before and confidently contradicts the head's after (after
   * is Allowed or Denied). A change to or from Unknown or Absent is never a break: it is listed, not counted.
   */
  breaks: boolean;
  /** The reverse: it confidently contradicted the base's expectation before and agrees with the head's after. */
  fixes: boolean;
  /**
   * What a reviewer needs to see why: the head's diagnosis and reasons as `flowprobe explain` gives them,
   * then each reason of the base that the head no longer gives, prefixed `before: ` (the rule that used to
   * decide it). A flow the head no longer declares has only `before: ` reasons.
   */
  reasons: string[];
}

export interface UndeclaredChange {
  /** The source identity: `namespace/name` of its only workload, else `namespace/{labels}`. */
  from: string;
  /** The destination workload, named the same way. */
  to: string;
  port: number;
  protocol: string;
  before: DiffPrediction;
  after: DiffPrediction;
}

export interface DiffReport {
  declared: DeclaredChange[];
  undeclared: UndeclaredChange[];
}

/** How an undeclared change moved: opened (to Allowed), closed (from Allowed), or neither (Unknown). */
export type PathChange = 'opened' | 'closed' | 'uncertain';

/** The report and what its bounded `undeclared` list left out, per kind of change. */
export interface DiffResult {
  report: DiffReport;
  /** Every undeclared change found, listed or not. */
  undeclaredTotals: Record<PathChange, number>;
  /** The most listed per kind of change (the rest are only counted). */
  maxUndeclared: number;
}

// One FlowResult per flow, in the spec's order (pure): the probe's observation, the policies' prediction,
// the verdict, and a diagnosis that joins them. A flow without an observation (it could not be planned, or
// its probe pod never ran) is an Error with the reason; it is never left out.
import type { FlowResult, Prediction, RefusedMeaning } from '../api/types.js';
import type { FlowExplanation } from '../explain/index.js';
import type { ProbeResult } from '../probe/index.js';
import { diagnose, judge } from '../verdict/index.js';

export interface FlowObservation {
  flow: string;
  /** What was dialled, e.g. `10.244.1.7:8080`; absent when nothing was. */
  target?: string;
  result: ProbeResult;
}

export interface FlowResultInput {
  flows: readonly { name: string; expect: 'Allowed' | 'Denied' }[];
  observations: ReadonlyMap<string, FlowObservation>;
  predictions: ReadonlyMap<string, FlowExplanation>;
  refusedMeans: RefusedMeaning;
  /** The probe pods' wait before their first attempt (spec.startupGraceSeconds), for the diagnosis. */
  startupGraceMs: number;
}

export function flowResults(input: FlowResultInput): FlowResult[] {
  return input.flows.map((flow) => {
    const observation = input.observations.get(flow.name);
    const explanation = input.predictions.get(flow.name);
    const predicted: Prediction = explanation?.predicted ?? 'Unknown';
    const probe = observation?.result ?? missing(flow.name);
    const seen = { outcome: probe.outcome, detail: probe.detail, settled: probe.settled };
    const verdict = judge(flow.expect, seen, input.refusedMeans);
    const reason = explanation?.diagnosis[0];
    const diagnosis = diagnose({
      expected: flow.expect,
      observation: { ...seen, ...(probe.httpStatus === undefined ? {} : { httpStatus: probe.httpStatus }) },
      verdict,
      prediction: {
        predicted,
        ...(reason ? { reason } : {}),
        ...(explanation?.dnsAllowed === undefined ? {} : { dnsEgressAllowed: explanation.dnsAllowed }),
      },
      refusedMeans: input.refusedMeans,
      ...(probe.outcome === 'Error' ? { message: probe.message } : {}),
      timing: { graceMs: input.startupGraceMs, attempts: probe.attempts },
    });
    return {
      flow: flow.name,
      expected: flow.expect,
      outcome: probe.outcome,
      detail: probe.detail,
      verdict,
      predicted,
      diagnosis,
      ...(observation?.target ? { target: observation.target } : {}),
      ...(probe.httpStatus === undefined ? {} : { httpStatus: probe.httpStatus }),
      durationMs: probe.durationMs,
      attempts: probe.attempts.length,
    };
  });
}

function missing(flow: string): ProbeResult {
  return {
    target: flow,
    outcome: 'Error',
    detail: 'not-probed',
    durationMs: 0,
    settled: false,
    attempts: [],
    message: 'the flow was not probed',
  };
}

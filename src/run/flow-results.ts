// One FlowResult per flow, in the spec's order (pure): the probe's observation, the policies' prediction,
// the verdict, and a diagnosis that joins them. A flow without an observation (it could not be planned, or
// its probe pod never ran) is an Error with the reason; it is never left out.
import type { FlowResult, Prediction, RefusedMeaning } from '../api/types.js';
import type { FlowExplanation } from '../explain/index.js';
import type { ProbeResult } from '../probe/index.js';
import { eachNodeResult } from './node-results.js';
import {
  diagnose,
  judge,
  judgeWithoutEndpoints,
  type DiagnosisInput,
  type Judged,
  type Observation,
} from '../verdict/index.js';

export interface FlowObservation {
  flow: string;
  /** What was dialled, e.g. `10.244.1.7:8080`; absent when nothing was. */
  target?: string;
  result: ProbeResult;
  /** The node the probe pod ran on (a placed flow). */
  node?: string;
  /** EachNode: one observation per node probed (this observation is then unused). */
  nodes?: (FlowObservation & { node: string })[];
  /** EachNode: the number of nodes when only a sample of them was probed. */
  sampledFrom?: number;
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
    if (observation?.nodes && observation.nodes.length > 0) {
      const perNode = observation.nodes.map((o) => ({ node: o.node, result: flowResult(flow, o, input) }));
      return eachNodeResult(perNode, observation.sampledFrom);
    }
    return flowResult(flow, observation, input);
  });
}

function flowResult(
  flow: { name: string; expect: 'Allowed' | 'Denied' },
  observation: FlowObservation | undefined,
  input: FlowResultInput,
): FlowResult {
  const probe = observation?.result ?? missing(flow.name);
  const seen = { outcome: probe.outcome, detail: probe.detail, settled: probe.settled };
  const explanation = input.predictions.get(flow.name);
  // A Service target without ready endpoints: the Service, not DNS or policy, decides the verdict.
  const unserved = withoutEndpoints(flow.expect, seen, explanation);
  const verdict = unserved?.verdict ?? judge(flow.expect, seen, input.refusedMeans);
  const { predicted, diagnosis } = predictedDiagnosis({
    expected: flow.expect,
    observation: { ...seen, ...(probe.httpStatus === undefined ? {} : { httpStatus: probe.httpStatus }) },
    verdict,
    explanation,
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
    ...(observation?.node ? { node: observation.node } : {}),
  };
}

export interface JudgedFlow extends Omit<DiagnosisInput, 'prediction'> {
  explanation: FlowExplanation | undefined;
}

/**
 * The prediction a flow shows and the diagnosis that joins it to the observation and the verdict. A Service
 * without ready endpoints explains the verdict when it is the verdict the missing endpoints give (after a
 * run the verdict is a fact of the run: a later re-prediction never changes it, and then explains it the
 * usual way if the endpoints no longer account for it).
 */
export function predictedDiagnosis(input: JudgedFlow): { predicted: Prediction; diagnosis: string } {
  const { explanation, ...rest } = input;
  const predicted: Prediction = explanation?.predicted ?? 'Unknown';
  const unserved = withoutEndpoints(rest.expected, rest.observation, explanation);
  if (unserved && unserved.verdict === rest.verdict) return { predicted, diagnosis: unserved.diagnosis };
  const reason = explanation?.diagnosis.find((d) => !d.startsWith(NO_ENDPOINTS));
  const diagnosis = diagnose({
    ...rest,
    prediction: {
      predicted,
      ...(reason ? { reason } : {}),
      ...(explanation?.dnsAllowed === undefined ? {} : { dnsEgressAllowed: explanation.dnsAllowed }),
      ...(explanation?.dnsDeniedBy === undefined ? {} : { dnsDeniedBy: explanation.dnsDeniedBy }),
      ...(explanation?.outOfModel === undefined ? {} : { outOfModel: explanation.outOfModel }),
      ...(explanation?.clusterDecider === undefined ? {} : { clusterDecider: explanation.clusterDecider }),
    },
  });
  return { predicted, diagnosis };
}

/** explain's diagnosis item for a Service without endpoints; not a policy reason. */
const NO_ENDPOINTS = 'no endpoints:';

function withoutEndpoints(
  expected: 'Allowed' | 'Denied',
  observation: Observation,
  explanation: FlowExplanation | undefined,
): Judged | undefined {
  const noEndpoints = explanation?.noEndpoints;
  if (noEndpoints === undefined) return undefined;
  const predicted: Prediction = explanation?.predicted ?? 'Unknown';
  return judgeWithoutEndpoints({ expected, observation, noEndpoints, predicted });
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

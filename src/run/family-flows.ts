// The results of flows probed per address family (plan/target-families.ts), put together: each family's
// observation is judged against the prediction in that family, then the families of a flow are merged
// under its one status entry (family-results.ts). A flow that names its family is predicted in it by the
// test's own prediction; a flow expanded over both families is predicted once per family, through a view
// of the test in which it names that family.
import type { ConnectivityTest, Flow, FlowResult, IpFamily, RefusedMeaning } from '../api/types.js';
import type { FlowExplanation } from '../explain/index.js';
import type { PlannedProbe } from '../plan/run-plan.js';
import { familyTest, mergeFamilies, observationKey } from './family-results.js';
import { flowResults, type FlowObservation } from './flow-results.js';

export interface FamilyInput {
  test: ConnectivityTest;
  probes: readonly PlannedProbe[];
  /** Keyed by family-results.ts `observationKey`. */
  observations: ReadonlyMap<string, FlowObservation>;
  predict: (test: ConnectivityTest) => Map<string, FlowExplanation>;
  refusedMeans: RefusedMeaning;
  startupGraceMs: number;
}

export function withFamilies(results: FlowResult[], input: FamilyInput): FlowResult[] {
  const probed = familiesProbed(input.probes);
  if (probed.size === 0) return results;
  const flows = new Map(input.test.spec.flows.map((f) => [f.name, f]));
  const expanded = new Set([...probed.keys()].filter((n) => flows.get(n)?.ipFamily === undefined));
  const predictions = new Map<IpFamily | 'named', Map<string, FlowExplanation>>();
  const predictedIn = (family: IpFamily | 'named') => {
    let p = predictions.get(family);
    if (p === undefined) {
      p = input.predict(family === 'named' ? input.test : familyTest(input.test, expanded, family));
      predictions.set(family, p);
    }
    return p;
  };
  return results.map((result) => {
    const families = probed.get(result.flow);
    const flow = flows.get(result.flow);
    if (families === undefined || flow === undefined) return result;
    const perFamily = families.map((family) =>
      familyResult(flow, family, input, predictedIn(expanded.has(flow.name) ? family : 'named')),
    );
    return mergeFamilies(perFamily);
  });
}

function familyResult(
  flow: Flow,
  family: IpFamily,
  input: FamilyInput,
  predictions: ReadonlyMap<string, FlowExplanation>,
): FlowResult {
  const observation = input.observations.get(observationKey(flow.name, family));
  const [result] = flowResults({
    flows: [flow],
    observations: new Map(observation === undefined ? [] : [[flow.name, observation]]),
    predictions,
    refusedMeans: input.refusedMeans,
    startupGraceMs: input.startupGraceMs,
  });
  if (result === undefined) throw new RangeError(`no result for flow ${flow.name}`);
  return { ...result, ipFamily: family };
}

/**
 * Flow name → the families it was probed in, for flows probed per family; each family once, though a
 * placed flow probes it from several pods (EachNode: one per node).
 */
function familiesProbed(probes: readonly PlannedProbe[]): Map<string, IpFamily[]> {
  const out = new Map<string, IpFamily[]>();
  for (const p of probes) {
    if (p.ipFamily === undefined) continue;
    const seen = out.get(p.flow.name) ?? [];
    if (!seen.includes(p.ipFamily)) out.set(p.flow.name, [...seen, p.ipFamily]);
  }
  return out;
}

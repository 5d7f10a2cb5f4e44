// A test's stored results with the predictions of the cluster as it is now (pure apart from the shared
// Predictor's snapshot cache): when a NetworkPolicy changes after a run, `predicted` and `diagnosis`
// follow it without probing again. The observation and the verdict are facts of the run and stay; so do
// the diagnoses that do not read the prediction (a probe error keeps the probe's own words, which the
// status does not store, and a flaky flow says only that its attempts never agreed).
import { withDefaults } from '../api/defaults.js';
import type { FamilyResult, FlowResult, IpFamily, RefusedMeaning } from '../api/types.js';
import type { FlowExplanation } from '../explain/index.js';
import type { TestObject } from '../kube/objects.js';
import { diagnoseNodes } from '../verdict/index.js';
import { familyTest, mergeFamilies } from './family-results.js';
import { predictedDiagnosis } from './flow-results.js';
import type { ClusterObjects, Predictor } from './predict.js';

export function repredict(
  predictor: Predictor,
  test: TestObject,
  results: readonly FlowResult[],
  cluster: ClusterObjects,
): FlowResult[] {
  const spec = withDefaults(test.spec);
  const predictions = predictor.predict({ ...test, spec }, cluster);
  const refusedMeans = spec.refusedMeans ?? 'Allowed';
  const expanded = new Set(results.filter((r) => r.families !== undefined).map((r) => r.flow));
  const inFamily = new Map<IpFamily, Map<string, FlowExplanation>>();
  const predictedIn = (family: IpFamily) => {
    let p = inFamily.get(family);
    if (p === undefined) {
      p = predictor.predict(familyTest({ ...test, spec }, expanded, family), cluster);
      inFamily.set(family, p);
    }
    return p;
  };
  return results.map((result) => {
    if (result.families === undefined) return again(result, predictions.get(result.flow), refusedMeans);
    // Each family against the prediction in that family, then merged again (family-results.ts).
    const { families, ...rest } = result;
    const perFamily = families.map((f) =>
      again(familyPart(rest, f), predictedIn(f.ipFamily).get(result.flow), refusedMeans),
    );
    return mergeFamilies(perFamily);
  });
}

/** One family's part of a stored result: its node entries (EachNode), without the family tag. */
function familyPart(rest: Omit<FlowResult, 'families'>, family: FamilyResult): FlowResult {
  const { nodes, node, ...common } = rest;
  const own = nodes?.filter((n) => n.ipFamily === family.ipFamily).map(({ ipFamily: _, ...n }) => n) ?? [];
  return {
    ...common,
    ...family,
    ...(own.length > 0 ? { nodes: own } : {}),
    ...(family.node === undefined && node !== undefined ? { node } : {}),
  };
}

function again(
  result: FlowResult,
  explanation: FlowExplanation | undefined,
  refusedMeans: RefusedMeaning,
): FlowResult {
  if (result.outcome === 'Error' || result.verdict === 'Flaky') {
    return { ...result, predicted: explanation?.predicted ?? 'Unknown' };
  }
  const { predicted, diagnosis } = predictedDiagnosis({
    expected: result.expected,
    observation: {
      outcome: result.outcome,
      detail: result.detail,
      settled: true,
      ...(result.httpStatus === undefined ? {} : { httpStatus: result.httpStatus }),
    },
    verdict: result.verdict,
    explanation,
    refusedMeans,
  });
  return { ...result, predicted, diagnosis: perNode(result, diagnosis) };
}

/** An EachNode result's top-level fields are its worst node's: re-diagnosed, then said per node again. */
function perNode(result: FlowResult, diagnosis: string): string {
  if (!result.nodes || result.nodes.length === 0) return diagnosis;
  return diagnoseNodes(result.nodes, { node: result.node ?? '', diagnosis }, result.nodesSampledFrom);
}

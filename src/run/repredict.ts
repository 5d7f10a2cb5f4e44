// A test's stored results with the predictions of the cluster as it is now (pure apart from the shared
// Predictor's snapshot cache): when a NetworkPolicy changes after a run, `predicted` and `diagnosis`
// follow it without probing again. The observation and the verdict are facts of the run and stay; so do
// the diagnoses that do not read the prediction (a probe error keeps the probe's own words, which the
// status does not store, and a flaky flow says only that its attempts never agreed).
import { withDefaults } from '../api/defaults.js';
import type { FlowResult } from '../api/types.js';
import type { TestObject } from '../kube/objects.js';
import { diagnoseNodes } from '../verdict/index.js';
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
  return results.map((result) => {
    const explanation = predictions.get(result.flow);
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
  });
}

/** An EachNode result's top-level fields are its worst node's: re-diagnosed, then said per node again. */
function perNode(result: FlowResult, diagnosis: string): string {
  if (!result.nodes || result.nodes.length === 0) return diagnosis;
  return diagnoseNodes(result.nodes, { node: result.node ?? '', diagnosis }, result.nodesSampledFrom);
}

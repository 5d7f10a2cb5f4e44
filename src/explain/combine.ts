// A target may be several pods (a selector, a Service). When they all get the same prediction that is
// the flow's; when they differ the flow is Unknown — a probe would reach one of them and the answer would
// depend on which — and the reasons say how many allow it and why the others do not.
import type { Prediction } from '../api/types.js';
import { endpointName, type PolicyPrediction } from '../policy/index.js';
import type { TargetEndpoint } from './resolve-target.js';

export interface TargetPrediction {
  target: TargetEndpoint;
  prediction: PolicyPrediction;
}

export interface Combined {
  predicted: Prediction;
  reasons: string[];
}

export function combineTargets(preds: readonly TargetPrediction[]): Combined {
  const [first] = preds;
  if (first === undefined) return { predicted: 'Unknown', reasons: ['no target endpoint'] };
  if (preds.length === 1) return { predicted: first.prediction.predicted, reasons: first.prediction.reasons };
  const allowed = preds.filter((p) => p.prediction.predicted === 'Allowed');
  const denied = preds.filter((p) => p.prediction.predicted === 'Denied');
  const names = (ps: readonly TargetPrediction[]) =>
    ps.map((p) => endpointName(p.target.endpoint)).join(', ');
  if (preds.every((p) => p.prediction.predicted === first.prediction.predicted)) {
    return {
      predicted: first.prediction.predicted,
      reasons: [
        `the same for all ${preds.length} target pods; for ${names([first])}:`,
        ...first.prediction.reasons,
      ],
    };
  }
  const other = denied[0] ?? preds.find((p) => p.prediction.predicted === 'Unknown') ?? first;
  return {
    predicted: 'Unknown',
    reasons: [
      `${allowed.length} of ${preds.length} target pods allow it (allowed: ${names(allowed) || 'none'}; denied: ${names(denied) || 'none'})`,
      `for ${names([other])}:`,
      ...other.prediction.reasons,
    ],
  };
}

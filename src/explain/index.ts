// `flowprobe explain`: predict ConnectivityTest flows from manifests alone. Start at explain.ts.
export {
  explainerFor,
  explainObjects,
  explainSnapshot,
  type Explainer,
  type LiveExplainer,
  type ExplainReport,
  type ExplainOutcome,
} from './explain.js';
export type { FlowExplanation } from './explain-flow.js';
export { buildSnapshot, type ClusterSnapshot, type TestValidator } from './snapshot.js';
export { ExplainInputError, type InputProblem } from './errors.js';
export { renderTable, summaryLine } from './render-table.js';
export type { PolicyFinding } from './findings.js';

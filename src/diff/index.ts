// `flowprobe diff`: which declared flows a change of manifests breaks or fixes, and which undeclared paths
// it opens or closes. Start at diff-report.ts; the JSON contract is diff-types.ts.
export {
  diffObjects,
  diffCounts,
  headline,
  DEFAULT_MAX_UNDECLARED,
  type DiffOutcome,
  type DiffCounts,
} from './diff-report.js';
export type {
  DeclaredChange,
  DiffPrediction,
  DiffReport,
  DiffResult,
  PathChange,
  UndeclaredChange,
} from './diff-types.js';
export { renderDiffTable } from './render-diff-table.js';
export { renderDiffMarkdown } from './render-diff-markdown.js';

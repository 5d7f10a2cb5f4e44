// The self-contained HTML reports: explain's predictions, a run's observations, a diff's changes. Pure:
// each renderer takes a report and returns the page's text. Start at render-page.ts.
export { renderExplainHtml } from './render-explain.js';
export { renderRunHtml, type RunReportTest } from './render-run.js';
export { renderDiffHtml, type DiffReport, type DiffDeclared, type DiffUndeclared } from './render-diff.js';
export { escapeHtml, html, SafeHtml } from './html-escape.js';

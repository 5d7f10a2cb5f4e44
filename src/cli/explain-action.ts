// What `flowprobe explain` does once its flags are parsed (explain.ts declares them): predict every
// ConnectivityTest flow from the NetworkPolicies in the manifests, without a cluster. A ClusterConnectivityTest
// stands for a ConnectivityTest in each namespace of the manifests that its selector chooses.
//
// Exit codes: 0 when no expectation contradicts the policies (Unknown predictions are shown with `?`
// but do not fail the run: explain cannot know what it was not told), 1 when any contradicts,
// 2 when the input cannot be read or is invalid (each file, object and field path on stderr).
import { validateConnectivityTest } from '../api/validate.js';
import { renderCoverage } from '../coverage/render-coverage.js';
import { explainObjects, renderTable, type ExplainReport } from '../explain/index.js';
import { connectivityTests } from '../manifest/connectivity-tests.js';
import { loadManifests, ManifestError } from '../manifest/load.js';
import { renderExplainHtml } from '../report/html/render-explain.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { readClusterTests, type ClusterTestsInput } from './read-cluster-tests.js';

export interface ExplainOptions {
  filename: string[];
  output: string;
  /** Also report coverage (src/coverage): after the table, or as `coverage` in the JSON. Never fails. */
  coverage?: boolean;
}

export async function runExplain(opts: ExplainOptions): Promise<number> {
  if (!OUTPUTS.includes(opts.output)) {
    process.stderr.write(`error: --output must be table, json or html, not ${JSON.stringify(opts.output)}\n`);
    return EXIT_USAGE;
  }
  let objects;
  try {
    objects = await loadManifests(opts.filename);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT_USAGE;
  }
  let clusterTests: ClusterTestsInput;
  try {
    clusterTests = readClusterTests(objects);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT_USAGE;
  }
  if (clusterTests.problems.length > 0) {
    for (const p of clusterTests.problems) process.stderr.write(`error: ${p}\n`);
    return EXIT_USAGE;
  }
  const outcome = explainObjects(clusterTests.expanded, validateConnectivityTest, {
    coverage: opts.coverage === true,
  });
  if ('errors' in outcome) {
    for (const e of outcome.errors) process.stderr.write(`error: ${e.message}\n`);
    return EXIT_USAGE;
  }
  try {
    connectivityTests(objects, opts.filename);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    return EXIT_USAGE;
  }
  // Which namespaces each ClusterConnectivityTest stood for; on stderr, so that -o json stays one document.
  for (const line of clusterTests.notes) process.stderr.write(`explain: ${line}\n`);
  const { report } = outcome;
  process.stdout.write(render(report, opts.output));
  // Coverage informs; only a contradiction fails explain, with or without --coverage.
  return report.summary.contradict > 0 ? EXIT_FAILED : EXIT_OK;
}

const OUTPUTS = ['table', 'json', 'html'];

function render(report: ExplainReport, output: string): string {
  if (output === 'json') return `${JSON.stringify(toJson(report), null, 2)}\n`;
  if (output === 'html') return renderExplainHtml(report);
  return tableOf(report);
}

function tableOf(report: ExplainReport): string {
  const table = renderTable(report);
  return report.coverage === undefined ? table : `${table}\n${renderCoverage(report.coverage)}`;
}

function toJson(report: ExplainReport): object {
  const json = { summary: report.summary, results: report.results, findings: report.findings };
  return report.coverage === undefined ? json : { ...json, coverage: report.coverage };
}

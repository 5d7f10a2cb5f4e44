// What `flowprobe diff` does once its flags are parsed (diff.ts declares them): read both trees, predict
// their declared flows and the undeclared paths with explain's engine, and render the changes.
//
// Exit codes: 0 no declared flow breaks, 1 some break, 2 bad input — with explain's wording for each input
// error (a side may hold no ConnectivityTest, e.g. the pull request that adds the first one; both may not).
import { validateConnectivityTest } from '../api/validate.js';
import { diffObjects, type DiffResult } from '../diff/index.js';
import { renderDiffMarkdown } from '../diff/render-diff-markdown.js';
import { renderDiffTable } from '../diff/render-diff-table.js';
import { connectivityTests, isConnectivityTest } from '../manifest/connectivity-tests.js';
import { loadManifests, ManifestError, ParsedFiles, type SourcedObject } from '../manifest/load.js';
import { renderDiffHtml } from '../report/html/render-diff.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './exit-codes.js';
import { readClusterTests } from './read-cluster-tests.js';

export interface DiffOptions {
  base: string[];
  head: string[];
  output: string;
  maxUndeclared: string;
}

/** One renderer per output format. */
const RENDERERS: Record<string, (result: DiffResult) => string> = {
  table: renderDiffTable,
  json: (result) => `${JSON.stringify(result.report, null, 2)}\n`,
  markdown: renderDiffMarkdown,
  html: (result) => renderDiffHtml(result.report, result.undeclaredTotals),
};

export async function runDiff(opts: DiffOptions): Promise<number> {
  const render = RENDERERS[opts.output];
  if (render === undefined) {
    const formats = Object.keys(RENDERERS).join(', ');
    return usage(`--output must be one of ${formats}, not ${JSON.stringify(opts.output)}`);
  }
  const max = Number(opts.maxUndeclared);
  if (!Number.isInteger(max) || max < 0)
    return usage(`--max-undeclared must be a whole number, not ${JSON.stringify(opts.maxUndeclared)}`);
  let base: SourcedObject[];
  let head: SourcedObject[];
  // The two sides are usually two checkouts of one repository: each file content is parsed once.
  const parsed = new ParsedFiles();
  try {
    base = await readSide(opts.base, parsed);
    head = await readSide(opts.head, parsed);
  } catch (err) {
    if (!(err instanceof ManifestError)) throw err;
    return usage(err.message);
  }
  if (!base.some(isConnectivityTest) && !head.some(isConnectivityTest)) {
    const n = base.length + head.length;
    return usage(
      `${[...opts.base, ...opts.head].join(', ')}: no ConnectivityTest found on either side (${n === 1 ? '1 object' : `${n} objects`} read)`,
    );
  }
  const outcome = diffObjects(base, head, validateConnectivityTest, max);
  if ('errors' in outcome) {
    for (const e of outcome.errors) process.stderr.write(`error: ${e.message}\n`);
    return EXIT_USAGE;
  }
  const { result } = outcome;
  process.stdout.write(render(result));
  // table and markdown say how many paths they left out; json (the contract) and html say it here.
  if (opts.output === 'json' || opts.output === 'html') {
    const listed = result.report.undeclared.length;
    const total = Object.values(result.undeclaredTotals).reduce((a, b) => a + b, 0);
    if (total > listed)
      process.stderr.write(
        `note: ${total - listed} more undeclared paths changed (raise --max-undeclared to list them)\n`,
      );
  }
  return result.report.declared.some((c) => c.breaks) ? EXIT_FAILED : EXIT_OK;
}

/**
 * One side's objects, each ClusterConnectivityTest expanded into the ConnectivityTests it stands for there
 * (as explain reads them); a test declared twice on it is an error, no test at all is not (yet).
 */
async function readSide(paths: string[], parsed: ParsedFiles): Promise<SourcedObject[]> {
  const objects = await loadManifests(paths, parsed);
  if (objects.some(isConnectivityTest)) connectivityTests(objects, paths);
  const cluster = readClusterTests(objects);
  if (cluster.problems.length > 0) throw new ManifestError(paths.join(', '), cluster.problems.join('\n  '));
  return cluster.expanded;
}

function usage(message: string): number {
  process.stderr.write(`error: ${message}\n`);
  return EXIT_USAGE;
}

// `flowprobe run --report FILE.html`: what the probes observed, as a page. The matrix shows each flow's
// observation against its expectation and prediction; the table gives each flow's outcome, verdict and
// diagnosis. A run's results do not say who probed what, so each test's flows (its spec) come along.
import type { Expectation, Flow, FlowResult } from '../../api/types.js';
import { summary } from '../results-table.js';
import type { TestResults } from '../test-results.js';
import { describeDestination, describePort, describeSource } from './flow-endpoints.js';
import { renderFlowTable } from './flow-table.js';
import { html, type SafeHtml } from './html-escape.js';
import type { MatrixEntry, Reach } from './reach-matrix.js';
import { reachLabel, renderLegend, renderMatrices } from './render-matrix.js';
import { renderPage } from './render-page.js';
import { plural } from './text.js';

export interface RunReportTest extends TestResults {
  /** The test's declared flows, by which a result's source and destination are named. */
  flows?: readonly Flow[];
}

interface Row {
  test: RunReportTest;
  result: FlowResult;
  source: string;
  destination: string;
  port: string;
}

export function renderRunHtml(tests: readonly RunReportTest[]): string {
  const rows = tests.flatMap((test) => test.results.map((result) => row(test, result)));
  const notPassed = rows.filter((r) => r.result.verdict !== 'Pass').length;
  return renderPage({
    title: 'flowprobe run',
    headline: `${notPassed} of ${plural(rows.length, 'flow')} did not pass`,
    trouble: notPassed > 0,
    counts: `${summary(tests)} — observed by probe pods in the cluster.`,
    sections: [
      html`<h2>Reachability</h2>`,
      renderMatrices(rows.map(matrixEntry), 'Observed reachability'),
      renderLegend(),
      html`<h2>Flows</h2>`,
      flowTable(rows),
    ],
  });
}

function row(test: RunReportTest, result: FlowResult): Row {
  const flow = test.flows?.find((f) => f.name === result.flow);
  if (flow === undefined)
    return { test, result, source: '(not declared)', destination: result.target ?? '?', port: '?' };
  return {
    test,
    result,
    source: describeSource(test.namespace, flow),
    destination: describeDestination(test.namespace, flow),
    port: describePort(flow),
  };
}

function matrixEntry({ test, result: r, source, destination, port }: Row, i: number): MatrixEntry {
  const problem = PROBLEM[r.verdict]?.(r);
  return {
    label: `${test.namespace}/${test.test} ${r.flow}`,
    anchor: `flow-${i}`,
    source,
    destination,
    port,
    shown: { what: 'observed', reach: observed(r), note: outcome(r) },
    also: [
      { what: 'expected', reach: r.expected },
      { what: 'predicted', reach: r.predicted },
    ],
    ...(problem === undefined ? {} : { problem }),
  };
}

/** What the observation says of the path, by the verdict (which already weighs refusals and DNS). */
function observed(r: FlowResult): Reach {
  if (r.verdict === 'Pass') return r.expected;
  if (r.verdict === 'Fail') return opposite(r.expected);
  return 'Unknown';
}

function opposite(e: Expectation): Reach {
  return e === 'Allowed' ? 'Denied' : 'Allowed';
}

const PROBLEM: Partial<Record<FlowResult['verdict'], (r: FlowResult) => string>> = {
  Fail: (r) => `contradiction: expected ${r.expected}, observed ${r.outcome}`,
  Flaky: () => 'flaky: the attempts never agreed',
  Error: () => 'error: nothing was learned about the path',
};

function outcome(r: FlowResult): string {
  return r.httpStatus === undefined ? r.outcome : `${r.outcome} ${r.httpStatus}`;
}

const VERDICT = { Pass: '✓ Pass', Fail: '✗ Fail', Flaky: '⚠ Flaky', Error: '⚠ Error' } as const;

function flowTable(rows: readonly Row[]): SafeHtml {
  const body = rows.map(
    ({ test, result: r, source, destination, port }, i) =>
      html`<tr id="flow-${i}">
        <td>${test.namespace}/${test.test}</td>
        <th scope="row">${r.flow}</th>
        <td>${source}</td>
        <td>${destination}${r.target === undefined ? '' : ` (${r.target})`}</td>
        <td>${port}</td>
        <td>${reachLabel(r.expected)}</td>
        <td>${outcome(r)}<span class="also">${r.detail}</span></td>
        <td>${reachLabel(r.predicted)}</td>
        <td>${VERDICT[r.verdict]}</td>
        <td class="diagnosis">${r.diagnosis}</td>
      </tr> `,
  );
  return renderFlowTable(
    'Every probed flow: its expectation, what the probe observed, what the policies predict, and the diagnosis',
    ['test', 'flow', 'from', 'to', 'port', 'expected', 'observed', 'predicted', 'verdict', 'diagnosis'],
    body,
  );
}

// The shipped alert rules under Prometheus' own tool: `promtool check rules` (syntax, names, templates)
// and `promtool test rules` (test/metrics/promtool/flowprobe-rules.test.yaml: series that must fire and
// series that must not). promtool reads plain rule files, not the PrometheusRule wrapper, so the spec's
// groups are written to a temporary directory first. The dashboard's queries are checked the same way, as
// recording rules. Without promtool the suite is skipped, unless FLOWPROBE_REQUIRE_PROMTOOL=1 (CI,
// scripts/test.sh as root), where that is a failure.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  dashboardExprs,
  PROMTOOL_DIR,
  readDashboard,
  readPrometheusRule,
  variableSelectors,
  withGrafanaVariables,
} from './support/monitoring-files.js';

const TESTS = 'flowprobe-rules.test.yaml';

function promtool(dir: string, ...args: string[]): { ok: boolean; output: string } {
  const r = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}${r.error ? String(r.error) : ''}` };
}

describe('the alert rules under promtool', function () {
  let dir: string;

  before(function () {
    const found = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
    if (found.error || found.status !== 0) {
      const reason = 'the promtool tests: promtool is not installed (apt-get install prometheus)';
      if (process.env.FLOWPROBE_REQUIRE_PROMTOOL === '1')
        throw new Error(`${reason} (FLOWPROBE_REQUIRE_PROMTOOL=1)`);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-promtool-'));
    writeFileSync(join(dir, 'flowprobe-rules.yaml'), stringify({ groups: readPrometheusRule().groups }));
    copyFileSync(join(PROMTOOL_DIR, TESTS), join(dir, TESTS));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('pass promtool check rules', () => {
    const r = promtool(dir, 'check', 'rules', 'flowprobe-rules.yaml');
    assert.ok(r.ok, r.output);
    assert.match(r.output, /SUCCESS: 6 rules found/);
  });

  it('fire and stay silent where their unit tests say (promtool test rules)', () => {
    const r = promtool(dir, 'test', 'rules', TESTS);
    assert.ok(r.ok, r.output);
    assert.match(r.output, /SUCCESS/);
  });

  it('sit next to dashboard queries that are all valid PromQL', () => {
    const d = readDashboard();
    const rules = [...dashboardExprs(d), ...variableSelectors(d)].map((q, i) => ({
      record: `flowprobe:dashboard_query_${i}`,
      expr: withGrafanaVariables(q.expr),
    }));
    writeFileSync(join(dir, 'dashboard.yaml'), stringify({ groups: [{ name: 'dashboard', rules }] }));
    const r = promtool(dir, 'check', 'rules', 'dashboard.yaml');
    assert.ok(r.ok, r.output);
  });

  it('evaluate the current-failures table to one row per failing flow with expected and observed outcome', () => {
    const table = dashboardExprs(readDashboard()).find((q) => q.where === 'Current failures/A');
    assert.ok(table);
    writeFileSync(
      join(dir, 'dashboard-table.test.yaml'),
      stringify(failuresTableTest(withGrafanaVariables(table.expr))),
    );
    const r = promtool(dir, 'test', 'rules', 'dashboard-table.test.yaml');
    assert.ok(r.ok, r.output);
  });
});

/** Flow `a` (expected Denied, observed Connected, failing twice) is a row; flow `b` (passing) is not. */
function failuresTableTest(expr: string) {
  const series: { series: string; values: string }[] = [];
  const flow = (name: string, labels: string, value: number) =>
    series.push({ series: `${name}{namespace="p",test="t",${labels}}`, values: `${value}x3` });
  for (const [f, passing, expectedAllowed, outcome, verdict, streak] of [
    ['a', 0, 0, 'Connected', 'Fail', 2],
    ['b', 1, 1, 'Connected', 'Pass', 0],
  ] as const) {
    flow('flowprobe_flow_passing', `flow="${f}"`, passing);
    flow('flowprobe_flow_expected_allowed', `flow="${f}"`, expectedAllowed);
    flow('flowprobe_flow_consecutive_failures', `flow="${f}"`, streak);
    for (const o of ['Connected', 'Blocked'])
      flow('flowprobe_flow_outcome', `flow="${f}",outcome="${o}"`, +(o === outcome));
    for (const v of ['Pass', 'Fail'])
      flow('flowprobe_flow_verdict', `flow="${f}",verdict="${v}"`, +(v === verdict));
  }
  const row = '{namespace="p",test="t",flow="a",verdict="Fail",expected="Denied",outcome="Connected"}';
  return {
    rule_files: [],
    evaluation_interval: '1m',
    tests: [
      {
        interval: '1m',
        input_series: series,
        promql_expr_test: [{ expr, eval_time: '2m', exp_samples: [{ labels: row, value: 2 }] }],
      },
    ],
  };
}

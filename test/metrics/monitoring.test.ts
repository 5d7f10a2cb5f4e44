// The shipped monitoring artefacts (deploy/monitoring/) against the metrics the operator really exports:
// a renamed metric breaks this test instead of silently emptying a dashboard panel or an alert.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { createMetrics } from '../../src/metrics/index.js';
import {
  dashboardExprs,
  MONITORING_DIR,
  readDashboard,
  readPrometheusRule,
  variableSelectors,
} from './support/monitoring-files.js';
import { familyOf, promqlMetricNames } from './support/promql-names.js';
import { result } from './support/fixtures.js';

/** Not flowprobe's, but every Prometheus has them. */
const PROMETHEUS_OWN = new Set(['up', 'ALERTS']);

async function exportedFamilies(): Promise<{ names: Set<string>; histograms: Set<string> }> {
  const m = createMetrics();
  const ref = { namespace: 'ns', test: 't' };
  m.recordRun(ref, [result('f', 'Pass', 'Connected', { durationMs: 1 })], {
    finishedAt: new Date(0),
    intervalSeconds: 60,
  });
  m.countProbeError(ref);
  m.observeReconcile(0.1);
  const families = await m.registry.getMetricsAsJSON();
  return {
    names: new Set(families.map((f) => f.name)),
    histograms: new Set(families.filter((f) => String(f.type) === 'histogram').map((f) => f.name)),
  };
}

function allExprs(): { where: string; expr: string }[] {
  const rules = readPrometheusRule().groups.flatMap((g) =>
    g.rules.map((r) => ({ where: `rule ${r.alert ?? r.record ?? '?'}`, expr: r.expr })),
  );
  const dashboard = readDashboard();
  return [...rules, ...dashboardExprs(dashboard), ...variableSelectors(dashboard)];
}

describe('the metric names used by the alerts and the dashboard', () => {
  it('are all exported by the operator', async () => {
    const { names, histograms } = await exportedFamilies();
    const unknown = allExprs().flatMap(({ where, expr }) =>
      promqlMetricNames(expr)
        .filter((n) => !PROMETHEUS_OWN.has(n) && !names.has(familyOf(n, histograms)))
        .map((n) => `${where}: ${n}`),
    );
    assert.deepEqual(unknown, []);
  });

  it('cover every family the operator exports', async () => {
    const { names, histograms } = await exportedFamilies();
    const used = new Set(
      allExprs().flatMap(({ expr }) => promqlMetricNames(expr).map((n) => familyOf(n, histograms))),
    );
    const unused = [...names].filter((n) => !used.has(n));
    assert.deepEqual(unused, []);
  });
});

describe('reading metric names out of PromQL', () => {
  const table: [string, string[]][] = [
    ['up', ['up']],
    ['sum by (namespace, test) (rate(a_total{x="y", z=~"$ns"}[5m]))', ['a_total']],
    ['max(b) >= 2 and on (flow) c == bool 1', ['b', 'c']],
    ['histogram_quantile(0.95, sum by (le) (rate(d_bucket[$__rate_interval])))', ['d_bucket']],
    ['label_replace(e == 1, "expected", "Allowed", "", "") or vector(0)', ['e']],
    ['time() - f offset 5m > 3 * g', ['f', 'g']],
    ['absent(up{job="flowprobe"} == 1)', ['up']],
    ['1e3 * h unless ignoring (a, b) i', ['h', 'i']],
  ];
  for (const [expr, names] of table) {
    it(`finds ${names.join(', ')} in ${expr}`, () => {
      assert.deepEqual(promqlMetricNames(expr), names);
    });
  }

  it('keeps _bucket/_sum/_count only on names that are not histograms', () => {
    const histograms = new Set(['d']);
    assert.equal(familyOf('d_bucket', histograms), 'd');
    assert.equal(familyOf('x_count', histograms), 'x_count');
  });
});

describe('the Grafana dashboard', () => {
  const d = readDashboard();

  it('is JSON with a schema version Grafana 10/11 reads', () => {
    assert.ok(d.schemaVersion >= 36 && d.schemaVersion <= 41, `schemaVersion ${d.schemaVersion}`);
    assert.equal(d.uid, 'flowprobe');
  });

  it('has a datasource variable and namespace and test variables', () => {
    const vars = Object.fromEntries(d.templating.list.map((v) => [v.name, v.type]));
    assert.deepEqual(vars, { datasource: 'datasource', namespace: 'query', test: 'query' });
  });

  it('offers every namespace with workloads in its namespace variable, tested or not (coverage is about the untested)', () => {
    const namespace = variableSelectors(d).find((v) => v.where === 'variable namespace');
    assert.equal(namespace?.expr, '{__name__=~"flowprobe_workloads|flowprobe_runs_total"}');
  });

  it('queries through the datasource variable only', () => {
    const text = readFileSync(`${MONITORING_DIR}grafana-dashboard.json`, 'utf8');
    const uids = [...text.matchAll(/"uid":\s*"([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set(uids)].sort(), ['${datasource}', 'flowprobe']);
  });

  it('has unique panel ids and a query in every panel but rows', () => {
    const ids = d.panels.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length);
    const empty = d.panels.filter((p) => p.type !== 'row' && !p.targets?.length).map((p) => p.title);
    assert.deepEqual(empty, []);
  });

  it('shows current failures with expected and observed outcome', () => {
    const failures = d.panels.find((p) => p.title === 'Current failures');
    assert.equal(failures?.type, 'table');
    assert.match(failures.targets?.[0]?.expr ?? '', /"expected"[\s\S]*flowprobe_flow_outcome/);
  });
});

describe('the PrometheusRule', () => {
  const { kind, groups } = readPrometheusRule();
  const alerts = groups.flatMap((g) => g.rules);
  // The runbook is the README's "Alerts and runbook" section, where runbook_url points.
  const runbook = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('is a PrometheusRule with the drift, stale, probe error, operator and heap alerts', () => {
    assert.equal(kind, 'PrometheusRule');
    assert.deepEqual(alerts.map((a) => a.alert).sort(), [
      'FlowProbeFlowDrift',
      'FlowProbeHeapNearLimit',
      'FlowProbeOperatorAbsent',
      'FlowProbeOperatorNotLeading',
      'FlowProbeProbeErrors',
      'FlowProbeTestStale',
    ]);
  });

  for (const a of alerts) {
    it(`gives ${a.alert} a severity, a summary, a templated description and its runbook anchor`, () => {
      assert.match(a.alert ?? '', /^FlowProbe[A-Z][A-Za-z]+$/);
      assert.ok(['critical', 'warning', 'info'].includes(a.labels?.severity ?? ''), 'severity');
      assert.ok(a.annotations?.summary, 'summary');
      assert.ok(a.annotations.description, 'description');
      const anchor = (a.alert ?? '').toLowerCase();
      assert.equal(
        a.annotations.runbook_url,
        `https://github.com/flowprobe/flowprobe/blob/main/README.md#${anchor}`,
      );
      assert.match(runbook, new RegExp(`^### ${a.alert}$`, 'm'), 'a runbook heading whose anchor is the URL');
    });
  }

  it("is scraped by a ServiceMonitor that keeps flowprobe's namespace label", () => {
    const sm = parse(readFileSync(`${MONITORING_DIR}servicemonitor.yaml`, 'utf8')) as {
      kind: string;
      spec: {
        jobLabel: string;
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; honorLabels: boolean }[];
      };
    };
    assert.equal(sm.kind, 'ServiceMonitor');
    assert.deepEqual(sm.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'flowprobe' });
    assert.equal(sm.spec.jobLabel, 'app.kubernetes.io/name');
    assert.deepEqual(
      sm.spec.endpoints.map((e) => [e.port, e.honorLabels]),
      [['metrics', true]],
    );
  });
});

// Reads the shipped monitoring artefacts (deploy/monitoring/) for tests: the PrometheusRule's rule groups
// and every PromQL expression of the Grafana dashboard.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const MONITORING_DIR = fileURLToPath(new URL('../../../deploy/monitoring/', import.meta.url));
export const PROMTOOL_DIR = fileURLToPath(new URL('../promtool/', import.meta.url));

export interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

export function readPrometheusRule(): { kind: string; groups: RuleGroup[] } {
  const doc = parse(readFileSync(`${MONITORING_DIR}prometheusrule.yaml`, 'utf8')) as {
    kind: string;
    spec: { groups: RuleGroup[] };
  };
  return { kind: doc.kind, groups: doc.spec.groups };
}

export function readDashboard(): Dashboard {
  return JSON.parse(readFileSync(`${MONITORING_DIR}grafana-dashboard.json`, 'utf8')) as Dashboard;
}

export interface Dashboard {
  schemaVersion: number;
  uid: string;
  templating: { list: { name: string; type: string; query: unknown }[] };
  panels: { id: number; type: string; title: string; targets?: { expr: string; refId: string }[] }[];
}

/** Each panel query, named by panel title and refId. */
export function dashboardExprs(d: Dashboard): { where: string; expr: string }[] {
  return d.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${p.title}/${t.refId}`, expr: t.expr })),
  );
}

/**
 * The selectors inside the template variables' `label_values(<selector>, <label>)` queries (Grafana's
 * syntax, not PromQL: only the selector is PromQL).
 */
export function variableSelectors(d: Dashboard): { where: string; expr: string }[] {
  return d.templating.list.flatMap((v) => {
    if (v.type !== 'query') return [];
    const q = typeof v.query === 'string' ? v.query : (v.query as { query: string }).query;
    const m = /^label_values\((.*),\s*\w+\)$/.exec(q);
    return [{ where: `variable ${v.name}`, expr: m?.[1] ?? q }];
  });
}

/** Grafana variables replaced by values that keep the expression valid PromQL (for promtool). */
export function withGrafanaVariables(expr: string): string {
  return expr.replace(/\$__rate_interval|\$__interval|\$__range/g, '5m').replace(/\$\{?\w+\}?/g, '.*');
}

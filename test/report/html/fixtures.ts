// Hand-made inputs of the HTML reports: a run's results (as test/report/reports.test.ts builds them, with
// the tests' declared flows) and a diff report in `flowprobe diff`'s JSON contract (issue 15).
import type { Flow, FlowResult, Verdict } from '../../../src/api/types.js';
import type { DiffReport } from '../../../src/report/html/render-diff.js';
import type { RunReportTest } from '../../../src/report/html/render-run.js';

/** Text a hostile or careless manifest could carry: markup, both quotes and an ampersand. */
export const HOSTILE = `<script>alert("x")</script><img src=x onerror='alert(1)'> & "q"`;

function result(flow: string, verdict: Verdict, extra: Partial<FlowResult> = {}): FlowResult {
  return {
    flow,
    expected: 'Allowed',
    outcome: verdict === 'Pass' ? 'Connected' : verdict === 'Error' ? 'Error' : 'Blocked',
    detail: 'nc: 10.244.1.7:8080 open',
    verdict,
    predicted: 'Allowed',
    diagnosis: 'as expected: connected',
    durationMs: 1500,
    ...extra,
  };
}

function flow(name: string, from: Flow['from'], to: Flow['to'], port: number, expect: Flow['expect']): Flow {
  return { name, from, to, port, expect };
}

export const RUN: RunReportTest[] = [
  {
    namespace: 'shop',
    test: 'web-ingress',
    durationMs: 2100,
    flows: [
      flow(
        'frontend-to-web',
        { labels: { role: 'frontend' } },
        { podSelector: { matchLabels: { app: 'web' } } },
        8080,
        'Allowed',
      ),
      flow(
        'other-to-web',
        { labels: { role: 'other' } },
        { podSelector: { matchLabels: { app: 'web' } } },
        8080,
        'Denied',
      ),
      flow('frontend-to-db', { labels: { role: 'frontend' } }, { service: 'db' }, 5432, 'Allowed'),
    ],
    results: [
      result('frontend-to-web', 'Pass', { httpStatus: 503, target: '10.244.1.7:8080' }),
      result('other-to-web', 'Fail', {
        expected: 'Denied',
        outcome: 'Connected',
        predicted: 'Denied',
        diagnosis:
          'expected Denied, observed Connected, policies deny it: the CNI is not enforcing NetworkPolicy',
      }),
      result('frontend-to-db', 'Error', { diagnosis: 'the probe could not run (pod-timeout)' }),
    ],
  },
  {
    namespace: 'hostile',
    test: 'markup',
    durationMs: 1700,
    flows: [flow('quoted', { labels: { app: HOSTILE } }, { host: HOSTILE }, 443, 'Allowed')],
    results: [result('quoted', 'Flaky', { detail: HOSTILE, diagnosis: HOSTILE })],
  },
];

/** Removing the DNS allow of production: two declared flows break; a second peer opens a path. */
export const DIFF: DiffReport = {
  declared: [
    {
      namespace: 'production',
      test: 'api-baseline',
      flow: 'frontend-to-api-service',
      expected: 'Allowed',
      before: 'Allowed',
      after: 'Denied',
      breaks: true,
      fixes: false,
      reasons: ['DNS (UDP 53 to kube-system/deployment/coredns) is denied'],
    },
    {
      namespace: 'monitoring',
      test: 'scrape-paths',
      flow: 'prometheus-scrapes-api-by-name',
      expected: 'Allowed',
      before: 'Denied',
      after: 'Allowed',
      breaks: false,
      fixes: true,
      reasons: [],
    },
    {
      namespace: 'production',
      test: 'api-baseline',
      flow: 'api-to-postgres',
      expected: 'Allowed',
      before: 'Allowed',
      after: 'Denied',
      breaks: true,
      fixes: false,
      reasons: [HOSTILE],
    },
    {
      namespace: 'production',
      test: 'api-baseline',
      flow: 'api-to-payments',
      expected: 'Allowed',
      before: 'Unknown',
      after: 'Absent',
      breaks: false,
      fixes: false,
      reasons: [],
    },
  ],
  undeclared: [
    {
      from: 'monitoring/deployment/grafana',
      to: 'production/deployment/api-backend',
      port: 9090,
      protocol: 'TCP',
      before: 'Denied',
      after: 'Allowed',
    },
    {
      from: 'production/deployment/web-frontend',
      to: 'production/statefulset/postgres',
      port: 5432,
      protocol: 'TCP',
      before: 'Allowed',
      after: 'Denied',
    },
  ],
};

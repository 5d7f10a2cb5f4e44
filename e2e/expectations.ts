// What each seed flow must show, on a cluster whose CNI enforces NetworkPolicy and on one whose CNI
// ignores it (DESIGN.md, problem 1). One table for both providers and for both drivers (the operator's
// status and `flowprobe run`'s JSON), so they cannot drift apart.
import assert from 'node:assert/strict';
import type { FlowResult, Outcome, Prediction, Verdict } from '../src/api/types.js';
import type { Enforcement } from './providers/index.js';

export interface FlowExpectation {
  verdict: Verdict;
  /** Any of these outcomes (a dropping CNI times out; some reject on the path). */
  outcomes: readonly Outcome[];
  predicted: Prediction;
  diagnosis: RegExp;
}

type Table = Readonly<Record<string, FlowExpectation>>;

const open = (predicted: Prediction = 'Allowed'): FlowExpectation => ({
  verdict: 'Pass',
  outcomes: ['Connected'],
  predicted,
  diagnosis: /as expected/,
});
const notEnforced: FlowExpectation = {
  verdict: 'Fail',
  outcomes: ['Connected'],
  predicted: 'Denied',
  diagnosis: /expected Denied, observed Connected, policies deny it: the CNI is not enforcing NetworkPolicy/,
};
/** MISTAKE 1: namespaceSelector and podSelector as two peers admit every pod of monitoring. */
const orNotAnd: FlowExpectation = {
  verdict: 'Fail',
  outcomes: ['Connected'],
  predicted: 'Allowed',
  diagnosis: /expected Denied, observed Connected: the NetworkPolicies allow it/,
};

const SHARED: Table = {
  'production/api-baseline/frontend-to-api': open(),
  'production/api-baseline/frontend-to-api-service': open(),
  'production/api-baseline/api-to-postgres': open(),
  'monitoring/scrape-paths/prometheus-scrapes-api': open(),
  'monitoring/scrape-paths/grafana-cannot-scrape-api': orNotAnd,
};

const ENFORCED: Table = {
  ...SHARED,
  'production/api-baseline/frontend-not-to-postgres': {
    verdict: 'Pass',
    outcomes: ['Blocked', 'Unreachable'],
    predicted: 'Denied',
    diagnosis: /as expected/,
  },
  // MISTAKE 2: the default-deny egress forgot DNS, so the name never resolves.
  'monitoring/scrape-paths/prometheus-scrapes-api-by-name': {
    verdict: 'Fail',
    outcomes: ['DNSFailure'],
    predicted: 'Denied',
    diagnosis: /the name did not resolve: egress to DNS is not allowed; allow UDP and TCP 53 to kube-dns/,
  },
  // MISTAKE 2 as a DNS check: the question to kube-dns's pods is dropped (kindnet and Calico drop).
  'monitoring/scrape-paths/prometheus-resolves-names': {
    verdict: 'Fail',
    outcomes: ['Blocked'],
    predicted: 'Denied',
    diagnosis: /expected Allowed, observed Blocked: the NetworkPolicies deny it \(missing DNS egress/,
  },
  'monitoring/scrape-paths/prometheus-not-to-postgres': {
    verdict: 'Error',
    outcomes: ['DNSFailure'],
    predicted: 'Denied',
    diagnosis: /nothing was learned about the target, the name did not resolve/,
  },
};

const IGNORED: Table = {
  ...SHARED,
  'production/api-baseline/frontend-not-to-postgres': notEnforced,
  'monitoring/scrape-paths/prometheus-scrapes-api-by-name': {
    ...open('Denied'),
    diagnosis: /as expected, but the policies deny it: the CNI is not enforcing NetworkPolicy/,
  },
  'monitoring/scrape-paths/prometheus-not-to-postgres': notEnforced,
  // kube-dns answers (any rcode is Connected) although the policies deny the question.
  'monitoring/scrape-paths/prometheus-resolves-names': {
    ...open('Denied'),
    diagnosis: /as expected, but the policies deny it: the CNI is not enforcing NetworkPolicy/,
  },
};

export function expectationsFor(enforcement: Enforcement): Table {
  return enforcement === 'enforced' ? ENFORCED : IGNORED;
}

/** Asserts one test's results flow by flow, naming the flow and showing the whole result on a mismatch. */
export function assertResults(
  table: Table,
  namespace: string,
  test: string,
  results: readonly FlowResult[],
): void {
  const prefix = `${namespace}/${test}/`;
  const expectedFlows = Object.keys(table).filter((k) => k.startsWith(prefix));
  assert.deepEqual(
    results.map((r) => prefix + r.flow).sort(),
    expectedFlows.sort(),
    `${namespace}/${test}: flows`,
  );
  for (const r of results) {
    const want = table[prefix + r.flow]!;
    const seen = `${prefix}${r.flow}: ${JSON.stringify(r)}`;
    assert.equal(r.verdict, want.verdict, `verdict of ${seen}`);
    assert.ok(
      want.outcomes.includes(r.outcome),
      `outcome of ${seen}, want one of ${want.outcomes.join(', ')}`,
    );
    assert.equal(r.predicted, want.predicted, `prediction of ${seen}`);
    assert.match(r.diagnosis, want.diagnosis, `diagnosis of ${seen}`);
  }
}

/** The flows of one test expected to end with `verdict` (Fail: what Passing and JUnit's failures name). */
export function flowsWith(table: Table, verdict: Verdict, namespace: string, test: string): string[] {
  const prefix = `${namespace}/${test}/`;
  return Object.entries(table)
    .filter(([k, e]) => k.startsWith(prefix) && e.verdict === verdict)
    .map(([k]) => k.slice(prefix.length));
}

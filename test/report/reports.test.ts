import { strict as assert } from 'node:assert';
import type { FlowResult, Verdict } from '../../src/api/types.js';
import { renderJUnit, xml } from '../../src/report/junit.js';
import { renderResultsTable } from '../../src/report/results-table.js';

function r(flow: string, verdict: Verdict, diagnosis = 'as expected: connected'): FlowResult {
  const outcome = verdict === 'Pass' ? 'Connected' : verdict === 'Error' ? 'Error' : 'Blocked';
  return {
    flow,
    expected: 'Allowed',
    outcome,
    detail: 'x',
    verdict,
    predicted: 'Allowed',
    diagnosis,
    durationMs: 1500,
  };
}

const tests = [
  {
    namespace: 'prod',
    test: 'baseline',
    results: [
      r('a', 'Pass'),
      r('b', 'Fail', 'expected Allowed, observed Blocked: the NetworkPolicies deny it <x & "y">'),
    ],
  },
  {
    namespace: 'mon',
    test: 'scrape',
    results: [
      r('c', 'Error', 'the probe could not run (pod-timeout)'),
      r('d', 'Flaky', 'attempts never agreed'),
    ],
  },
];

describe('the JUnit report', () => {
  const out = renderJUnit(tests);

  it('has one suite per test and one case per flow, with totals', () => {
    assert.match(out, /<testsuites name="flowprobe" tests="4" failures="2" errors="1" time="6.000">/);
    assert.match(out, /<testsuite name="prod\/baseline" tests="2" failures="1" errors="0" time="3.000">/);
    assert.match(out, /<testcase classname="prod.baseline" name="a" time="1.500"\/>/);
  });

  it('reports a drift as a failure carrying the diagnosis, escaped', () => {
    assert.match(
      out,
      /<failure type="Fail" message="expected Allowed, observed Blocked: the NetworkPolicies deny it &lt;x &amp; &quot;y&quot;&gt;">/,
    );
  });

  it('reports a probe error as an error, and a flaky flow as a failure', () => {
    assert.match(out, /<error type="Error" message="the probe could not run \(pod-timeout\)">/);
    assert.match(out, /<failure type="Flaky"/);
  });

  it('drops characters XML cannot carry', () => {
    assert.equal(xml('a\u0000b\u001bc'), 'abc');
  });
});

describe('the results table', () => {
  it("shows each flow's expectation, observation, prediction, verdict and diagnosis, and a summary", () => {
    const out = renderResultsTable(tests);
    const lines = out.split('\n');
    assert.match(lines[0] ?? '', /^TEST\s+FLOW\s+EXPECTED\s+OBSERVED\s+PREDICTED\s+VERDICT\s+DIAGNOSIS$/);
    assert.match(
      out,
      /prod\/baseline\s+b\s+Allowed\s+Blocked\s+Allowed\s+Fail\s+expected Allowed, observed Blocked/,
    );
    assert.match(out, /4 flow\(s\): 1 passed, 1 failed, 1 flaky, 1 errors/);
  });
});

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
    // Its two probe pods ran side by side: 1.5 s each, 1.6 s for the test.
    durationMs: 1600,
  },
  {
    namespace: 'mon',
    test: 'scrape',
    results: [
      r('c', 'Error', 'the probe could not run (pod-timeout)'),
      r('d', 'Flaky', 'attempts never agreed'),
    ],
    durationMs: 1700,
  },
];

/** The two tests ran side by side too: the whole run took 2.1 s, not the 6 s its flows add up to. */
const RUN_WALL_MS = 2100;

describe('the JUnit report', () => {
  const out = renderJUnit(tests, RUN_WALL_MS);

  it('has one suite per test and one case per flow, with totals', () => {
    assert.match(out, /<testsuites name="flowprobe" tests="4" failures="2" errors="1" /);
    assert.match(out, /<testsuite name="prod\/baseline" tests="2" failures="1" errors="0" /);
    assert.match(out, /<testcase classname="prod.baseline" name="a" /);
  });

  it("gives wall times, not sums: the run's for the suites, the test's for a suite, the probe's for a case", () => {
    assert.match(out, /<testsuites name="flowprobe" [^>]* time="2.100">/);
    assert.match(out, /<testsuite name="prod\/baseline" [^>]* time="1.600">/);
    assert.match(out, /<testsuite name="mon\/scrape" [^>]* time="1.700">/);
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

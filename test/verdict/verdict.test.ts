import { strict as assert } from 'node:assert';
import type { Expectation, Outcome, RefusedMeaning, Verdict } from '../../src/api/types.js';
import { judge } from '../../src/verdict/index.js';

describe('judging an outcome against an expectation', () => {
  const cases: [Expectation, Outcome, RefusedMeaning, Verdict, string][] = [
    ['Allowed', 'Connected', 'Allowed', 'Pass', 'a connection proves the flow is allowed'],
    ['Denied', 'Connected', 'Allowed', 'Fail', 'a connection where denial was expected is drift'],
    ['Denied', 'Blocked', 'Allowed', 'Pass', 'a timeout means a dropping policy denied it'],
    ['Allowed', 'Blocked', 'Allowed', 'Fail', 'a timeout fails an allowed flow'],
    ['Denied', 'Unreachable', 'Allowed', 'Pass', 'an ICMP reject means the path denied it'],
    ['Allowed', 'Unreachable', 'Allowed', 'Fail', 'an ICMP reject fails an allowed flow'],
    ['Denied', 'Refused', 'Allowed', 'Fail', 'a reset proves the path is open, so a denial did not hold'],
    ['Allowed', 'Refused', 'Allowed', 'Pass', 'a reset proves the path is open'],
    ['Denied', 'Refused', 'Denied', 'Pass', 'a reset is a denial where the test says the CNI rejects'],
    ['Allowed', 'Refused', 'Denied', 'Fail', 'a reset fails an allowed flow where the CNI rejects'],
    ['Allowed', 'DNSFailure', 'Allowed', 'Fail', 'a name that does not resolve means the flow does not work'],
    ['Denied', 'DNSFailure', 'Allowed', 'Error', 'a name that does not resolve says nothing about a denial'],
    ['Allowed', 'Error', 'Allowed', 'Error', 'a probe error is never a pass'],
    ['Denied', 'Error', 'Denied', 'Error', 'a probe error is never a pass, whatever was expected'],
  ];
  for (const [expected, outcome, refusedMeans, verdict, why] of cases) {
    it(`${expected} + ${outcome} (refused means ${refusedMeans}) is ${verdict}: ${why}`, () => {
      assert.equal(judge(expected, { outcome, detail: 'x', settled: true }, refusedMeans), verdict);
    });
  }

  it('calls a probe whose attempts never agreed Flaky, whichever outcome came last', () => {
    for (const outcome of ['Connected', 'Blocked', 'Refused', 'DNSFailure'] as const) {
      assert.equal(judge('Denied', { outcome, detail: 'x', settled: false }, 'Allowed'), 'Flaky');
    }
  });

  it('passes UDP that drew no rejection for Allowed, and learns nothing from it for Denied', () => {
    const silent = { outcome: 'Connected' as const, detail: 'udp-no-rejection', settled: true };
    assert.equal(judge('Allowed', silent, 'Allowed'), 'Pass');
    assert.equal(judge('Denied', silent, 'Allowed'), 'Error');
  });

  it('keeps Error over Flaky: a probe that could not run has no attempts to disagree', () => {
    assert.equal(judge('Allowed', { outcome: 'Error', detail: 'x', settled: false }, 'Allowed'), 'Error');
  });
});

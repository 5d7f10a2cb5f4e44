import { strict as assert } from 'node:assert';
import type { Expectation, Outcome, Verdict } from '../../src/api/types.js';
import { judgeWithoutEndpoints } from '../../src/verdict/index.js';

const WHY = 'service shop/web has no ready endpoints: 1 pod matches its selector and it is not ready';

describe('judging a flow to a Service without ready endpoints', () => {
  const cases: [Expectation, Outcome, string, Verdict | undefined, RegExp | undefined][] = [
    [
      'Allowed',
      'Refused',
      'reset-or-port-unreachable',
      'Fail',
      /^expected Allowed, observed Refused: service shop\/web has no ready endpoints.*not a policy or DNS problem/,
    ],
    ['Allowed', 'DNSFailure', 'nxdomain', 'Fail', /it is not ready, so nothing can serve the flow/],
    ['Allowed', 'Blocked', 'timeout', 'Fail', /has no ready endpoints/],
    [
      'Denied',
      'Refused',
      'reset-or-port-unreachable',
      'Error',
      /^nothing was learned: service shop\/web has no ready endpoints/,
    ],
    ['Denied', 'DNSFailure', 'nxdomain', 'Error', /^nothing was learned/],
    ['Denied', 'Blocked', 'timeout', undefined, undefined],
    ['Allowed', 'Connected', 'tcp-open', undefined, undefined],
    ['Allowed', 'DNSFailure', 'resolver-timeout', undefined, undefined],
    ['Allowed', 'Error', 'pod-timeout', undefined, undefined],
  ];
  for (const [expected, outcome, detail, verdict, diagnosis] of cases) {
    it(`${expected}, observed ${outcome} (${detail}): ${verdict ?? 'the usual verdict applies'}`, () => {
      const judged = judgeWithoutEndpoints({
        expected,
        observation: { outcome, detail, settled: true },
        noEndpoints: WHY,
        predicted: 'Allowed',
      });
      assert.equal(judged?.verdict, verdict);
      if (diagnosis) assert.match(judged?.diagnosis ?? '', diagnosis);
    });
  }

  it('leaves an unsettled probe to the usual verdict (Flaky)', () => {
    const observation = { outcome: 'Refused' as const, detail: 'x', settled: false };
    assert.equal(
      judgeWithoutEndpoints({ expected: 'Allowed', observation, noEndpoints: WHY, predicted: 'Allowed' }),
      undefined,
    );
  });

  it('adds that the policies would deny it as well when they do', () => {
    const observation = { outcome: 'Blocked' as const, detail: 'timeout', settled: true };
    const judged = judgeWithoutEndpoints({
      expected: 'Allowed',
      observation,
      noEndpoints: WHY,
      predicted: 'Denied',
    });
    assert.match(judged?.diagnosis ?? '', /; the NetworkPolicies would deny it as well$/);
  });
});

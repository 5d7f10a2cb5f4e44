import { strict as assert } from 'node:assert';
import type { Expectation, Outcome, Prediction } from '../../src/api/types.js';
import { diagnose, judge, type PredictionInput } from '../../src/verdict/index.js';

function diagnosis(
  expected: Expectation,
  outcome: Outcome,
  prediction: PredictionInput,
  detail = 'x',
  settled = true,
): string {
  const observation = { outcome, detail, settled };
  const verdict = judge(expected, observation, 'Allowed');
  return diagnose({ expected, observation, verdict, prediction, refusedMeans: 'Allowed' });
}

describe('diagnosing a flow', () => {
  const table: [Expectation, Outcome, Prediction, RegExp][] = [
    [
      'Denied',
      'Connected',
      'Denied',
      /^expected Denied, observed Connected, policies deny it: the CNI is not enforcing NetworkPolicy$/,
    ],
    ['Denied', 'Connected', 'Allowed', /^expected Denied, observed Connected: the NetworkPolicies allow it$/],
    ['Denied', 'Connected', 'Unknown', /policies' verdict is unknown/],
    ['Allowed', 'Blocked', 'Denied', /^expected Allowed, observed Blocked: the NetworkPolicies deny it$/],
    ['Allowed', 'Blocked', 'Allowed', /policies allow it: something else denies it/],
    ['Allowed', 'Connected', 'Allowed', /^as expected: connected$/],
    [
      'Allowed',
      'Connected',
      'Denied',
      /as expected, but the policies deny it: the CNI is not enforcing NetworkPolicy/,
    ],
    [
      'Denied',
      'Blocked',
      'Allowed',
      /as expected, but the policies allow it: something other than NetworkPolicy denies it/,
    ],
    ['Denied', 'Unreachable', 'Denied', /^as expected: rejected on the path \(ICMP unreachable\)$/],
    [
      'Denied',
      'Refused',
      'Denied',
      /^expected Denied, observed Refused, policies deny it: the CNI appears to reject denied connections with resets; if it does, set spec.refusedMeans: Denied$/,
    ],
    [
      'Allowed',
      'Refused',
      'Denied',
      /but the policies deny it: the CNI may reject denied connections with resets \(then set spec.refusedMeans: Denied\)/,
    ],
  ];
  for (const [expected, outcome, predicted, want] of table) {
    it(`says why for expected ${expected}, observed ${outcome}, predicted ${predicted}`, () => {
      assert.match(diagnosis(expected, outcome, { predicted }), want);
    });
  }

  it('says what answered a DNS check, NXDOMAIN included: the path works whatever the rcode', () => {
    assert.equal(
      diagnosis('Allowed', 'Connected', { predicted: 'Allowed' }, 'answer NXDOMAIN'),
      'as expected: the resolver answered (NXDOMAIN)',
    );
    assert.match(
      diagnosis('Denied', 'Connected', { predicted: 'Denied' }, 'answer NOERROR 10.96.0.10'),
      /^expected Denied, observed Connected, policies deny it: the CNI is not enforcing/,
    );
    assert.equal(
      diagnosis('Allowed', 'Connected', { predicted: 'Denied' }, 'answer NOERROR 10.96.0.10').split(
        ' as expected',
      )[0],
      'the resolver answered (NOERROR 10.96.0.10)',
    );
  });

  it('names a forgotten DNS allow when the resolver timed out under a default-deny egress', () => {
    const text = diagnosis(
      'Allowed',
      'DNSFailure',
      { predicted: 'Allowed', dnsEgressAllowed: false },
      'resolver-timeout',
    );
    assert.match(text, /egress to DNS is not allowed; allow UDP and TCP 53 to kube-dns/);
  });

  // The Admin tier is evaluated before NetworkPolicy (network-policy-api v0.2.0 site-src/api-overview.md):
  // a NetworkPolicy allowing DNS cannot undo an Admin Deny of it, so the remedy names the Admin rule.
  it('names the Admin rule, not a NetworkPolicy allow, when an Admin-tier Deny stops DNS', () => {
    const text = diagnosis(
      'Allowed',
      'DNSFailure',
      {
        predicted: 'Denied',
        dnsEgressAllowed: false,
        dnsDeniedBy: "[Admin] cnp/no-dns egress rule 'dns' (priority 5) Deny",
      },
      'resolver-timeout',
    );
    assert.match(
      text,
      /egress to DNS is denied by \[Admin\] cnp\/no-dns egress rule 'dns' \(priority 5\) Deny, before any NetworkPolicy: no NetworkPolicy can allow it/,
    );
    assert.doesNotMatch(text, /allow UDP and TCP 53/);
  });

  it('suspects blocked DNS egress on a resolver timeout even without a prediction about DNS', () => {
    const text = diagnosis('Allowed', 'DNSFailure', { predicted: 'Unknown' }, 'resolver-timeout');
    assert.match(text, /usually means egress to DNS is blocked/);
  });

  it('points at the name, not the policies, on NXDOMAIN', () => {
    const text = diagnosis(
      'Allowed',
      'DNSFailure',
      { predicted: 'Allowed', dnsEgressAllowed: true },
      'nxdomain',
    );
    assert.match(text, /does not exist \(NXDOMAIN\)/);
  });

  it('says that nothing was learned when a denied flow hits a DNS failure', () => {
    assert.match(
      diagnosis('Denied', 'DNSFailure', { predicted: 'Denied' }, 'nxdomain'),
      /^nothing was learned/,
    );
  });

  it('does not let a refusal pass silently: it says nothing listens', () => {
    assert.match(diagnosis('Allowed', 'Refused', { predicted: 'Allowed' }), /nothing listens on the port/);
  });

  it('reports the last outcome of a flaky probe and the likely cause', () => {
    const text = diagnosis('Denied', 'Connected', { predicted: 'Denied' }, 'tcp-open', false);
    assert.match(text, /^attempts never agreed \(last: connected\): a policy may still be being applied/);
  });

  it("appends the policies' reason where there is one", () => {
    const text = diagnosis('Denied', 'Connected', {
      predicted: 'Allowed',
      reason: 'production/allow-web ingress rule 0',
    });
    assert.match(text, /the NetworkPolicies allow it \(production\/allow-web ingress rule 0\)$/);
  });

  it("gives the probe's own words when it could not run", () => {
    const observation = { outcome: 'Error' as const, detail: 'image-pull', settled: false };
    const text = diagnose({
      expected: 'Allowed',
      observation,
      verdict: 'Error',
      prediction: { predicted: 'Allowed' },
      refusedMeans: 'Allowed',
      message: 'ImagePullBackOff: Back-off pulling image "busybox:nope"',
    });
    assert.equal(
      text,
      'the probe could not run (image-pull): ImagePullBackOff: Back-off pulling image "busybox:nope"',
    );
  });

  it('says the probe could not run on an Error outcome', () => {
    assert.match(
      diagnosis('Allowed', 'Error', { predicted: 'Allowed' }, 'unparsable-output'),
      /could not run \(unparsable-output\)/,
    );
  });
});

describe('telling enforcement lag from a CNI that does not enforce', () => {
  // [outcome, atMs]: one attempt, `atMs` after the probe's first attempt (the script's own clock).
  type Attempts = [Outcome, number][];
  const open: Attempts = [
    ['Connected', 0],
    ['Connected', 1000],
    ['Connected', 2000],
  ];
  const LAG =
    /: the policy may not have reached the new probe pod yet \(enforcement lag; raise startupGraceSeconds\)$/;
  const CNI =
    /: the CNI is not enforcing NetworkPolicy, or enforces it more than [0-9.]+ s after a pod starts \(the flow was still open [0-9.]+ s after the probe pod started; a longer startupGraceSeconds tells which\)$/;

  function timed(
    expected: Expectation,
    predicted: Prediction,
    attempts: Attempts,
    graceMs: number,
    settled = true,
  ): string {
    const [outcome] = attempts.at(-1)!;
    const detail = outcome === 'Connected' ? 'tcp-open' : 'timeout';
    const observation = { outcome, detail, settled };
    const verdict = judge(expected, observation, 'Allowed');
    const timing = {
      graceMs,
      attempts: attempts.map(([o, atMs]) => ({
        outcome: o,
        atMs,
        detail: o === 'Connected' ? 'tcp-open' : 'timeout',
      })),
    };
    return diagnose({
      expected,
      observation,
      verdict,
      prediction: { predicted },
      refusedMeans: 'Allowed',
      timing,
    });
  }

  const table: [string, Expectation, Prediction, Attempts, number, RegExp][] = [
    [
      'names the lag when every connect came within 5 s of the pod start (no grace)',
      'Denied',
      'Denied',
      open,
      0,
      LAG,
    ],
    ['names the lag when the grace was lowered below the default', 'Denied', 'Denied', open, 2000, LAG],
    [
      'blames the CNI when the connects reached 5 s after the start (default grace)',
      'Denied',
      'Denied',
      open,
      3000,
      CNI,
    ],
    [
      'blames the CNI when the connects spanned 5 s without a grace',
      'Denied',
      'Denied',
      [0, 1000, 2000, 3000, 4000, 5000].map((at): [Outcome, number] => ['Connected', at]),
      0,
      CNI,
    ],
    ['blames the CNI after a long grace', 'Denied', 'Denied', open, 10_000, CNI],
    [
      'names the lag for an allowed flow that connects although the policies deny it',
      'Allowed',
      'Denied',
      open,
      0,
      LAG,
    ],
    [
      'does not speak of lag where the policies allow what connected',
      'Denied',
      'Allowed',
      open,
      0,
      /: the NetworkPolicies allow it$/,
    ],
  ];
  for (const [name, expected, predicted, attempts, graceMs, want] of table) {
    it(name, () => {
      assert.match(timed(expected, predicted, attempts, graceMs), want);
    });
  }

  it('names a lag longer than the evidence beside the CNI, with how long the flow was still open', () => {
    assert.equal(
      timed('Denied', 'Denied', open, 3000),
      'expected Denied, observed Connected, policies deny it: the CNI is not enforcing NetworkPolicy, or enforces it more than 5.0 s after a pod starts (the flow was still open 5.0 s after the probe pod started; a longer startupGraceSeconds tells which)',
    );
  });

  it('names the lag when unsettled attempts went from connected to dropped once', () => {
    const attempts: Attempts = [
      ['Connected', 0],
      ['Connected', 1000],
      ['Blocked', 2000],
    ];
    assert.equal(
      timed('Denied', 'Denied', attempts, 3000, false),
      'attempts never agreed (first: connected, last: timed out (packets dropped)): a policy reached the new probe pod while it probed (enforcement lag; raise startupGraceSeconds)',
    );
  });

  it('names the lag when unsettled attempts went from dropped to connected once (an allow rule arriving late)', () => {
    const attempts: Attempts = [
      ['Blocked', 0],
      ['Connected', 3000],
    ];
    assert.match(
      timed('Allowed', 'Allowed', attempts, 3000, false),
      /^attempts never agreed \(first: timed out.*last: connected\): a policy reached the new probe pod while it probed/,
    );
  });

  it('calls attempts that flip back and forth unstable, not lag', () => {
    const attempts: Attempts = [
      ['Connected', 0],
      ['Blocked', 1000],
      ['Connected', 4000],
      ['Blocked', 5000],
    ];
    assert.match(
      timed('Denied', 'Denied', attempts, 3000, false),
      /a policy may still be being applied, or the path is unstable$/,
    );
  });
});

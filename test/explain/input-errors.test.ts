// Invalid input is reported with the file, the object and the field path — never predicted from.
import { strict as assert } from 'node:assert';
import { ctest, explainYaml, policy } from './helpers.js';

function errorsOf(...docs: string[]): string[] {
  const outcome = explainYaml(...docs);
  assert.ok('errors' in outcome, 'expected errors');
  return outcome.errors.map((e) => e.message);
}

describe('explain rejects invalid input', () => {
  it('names a malformed ipBlock CIDR by its field path', () => {
    const [msg] = errorsOf(
      policy('shop', 'p', '{ podSelector: {}, ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/33 } }] }] }'),
    );
    assert.match(
      msg!,
      /^input\.yaml \(document 1\): NetworkPolicy shop\/p is invalid:\n {2}spec\.ingress\[0\]\.from\[0\]\.ipBlock\.cidr: .*invalid prefix length/,
    );
  });

  it('names a bad operator, a missing podSelector and a bad endPort', () => {
    const [msg] = errorsOf(
      policy(
        'shop',
        'p',
        '{ ingress: [{ from: [{ podSelector: { matchExpressions: [{ key: a, operator: Like }] } }], ports: [{ port: http, endPort: 9 }] }] }',
      ),
    );
    assert.match(msg!, /spec\.podSelector: is required/);
    assert.match(
      msg!,
      /spec\.ingress\[0\]\.from\[0\]\.podSelector\.matchExpressions\[0\]\.operator: must be In, NotIn, Exists or DoesNotExist/,
    );
    assert.match(msg!, /spec\.ingress\[0\]\.ports\[0\]\.endPort: requires a numeric port/);
  });

  it("reports an invalid ConnectivityTest with the validator's field paths", () => {
    const [msg] = errorsOf(
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { ip: 1.1.1.1 }, port: 70000, expect: Allowed }',
      ),
    );
    assert.match(msg!, /ConnectivityTest shop\/t is invalid/);
    assert.match(msg!, /spec\.flows\[0\]\.port: /);
  });

  it('reports every invalid object, not only the first', () => {
    assert.equal(
      errorsOf(
        policy('a', 'p', '{ podSelector: 3 }'),
        policy('b', 'q', '{ podSelector: {}, policyTypes: [Sideways] }'),
      ).length,
      2,
    );
  });
});

import { strict as assert } from 'node:assert';
import {
  effectivePolicyTypes,
  PolicyEngine,
  PolicyInputError,
  type NetworkPolicySpec,
} from '../../src/policy/index.js';
import { np } from './builders.js';

describe('compiling policies', () => {
  const cases: [string, NetworkPolicySpec, string[]][] = [
    ['no policyTypes, no rules: Ingress', { podSelector: {} }, ['Ingress']],
    [
      'no policyTypes, egress rules: Ingress and Egress',
      { podSelector: {}, egress: [{}] },
      ['Ingress', 'Egress'],
    ],
    ['no policyTypes, egress: []: Ingress', { podSelector: {}, egress: [] }, ['Ingress']],
    [
      'policyTypes given: exactly those',
      { podSelector: {}, policyTypes: ['Egress'], ingress: [{}] },
      ['Egress'],
    ],
    [
      'policyTypes: [] counts as absent',
      { podSelector: {}, policyTypes: [], egress: [{}] },
      ['Ingress', 'Egress'],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(`defaults policyTypes — ${name}`, () => {
      assert.deepEqual([...effectivePolicyTypes(np('a', 'p', spec))], want);
    });
  }

  it('rejects a malformed CIDR with the policy and field path', () => {
    const bad = np('a', 'p', {
      podSelector: {},
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1/16'] } }] }],
    });
    assert.throws(
      () => new PolicyEngine({ policies: [bad] }),
      (e: unknown) =>
        e instanceof PolicyInputError &&
        e.object === 'a/p' &&
        e.path === 'spec.egress[0].to[0].ipBlock.except[0]',
    );
  });
});

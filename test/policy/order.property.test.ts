// Properties: a prediction does not depend on the order of policies, of rules, or of peers in a rule
// (allows are a union; peers are ORed), and adding an allow rule never takes an allowed flow away.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  PolicyEngine,
  type FlowQuery,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
  type NetworkPolicySpec,
  type LabelSelector,
} from '../../src/policy/index.js';
import { external, ns, pod } from './builders.js';

const namespaces = [ns('a', { env: 'prod' }), ns('b', { env: 'dev' }), ns('c')];
const pods = [
  pod('a', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 80 }] }),
  pod('a', 'api', { app: 'api', tier: 'back' }, { ip: '10.0.0.2' }),
  pod('b', 'web', { app: 'web' }, { ip: '10.0.1.1' }),
  pod('b', 'tpl', { app: 'api' }), // a template: no IP
  pod(
    'c',
    'db',
    { app: 'db', tier: 'back' },
    { ip: '10.0.2.1', ports: [{ name: 'http', containerPort: 443 }] },
  ),
];
const endpoints = [...pods, external('10.0.9.9'), external('8.8.8.8'), external(undefined, 'example.com')];

const labelSel: fc.Arbitrary<LabelSelector> = fc.oneof<fc.Arbitrary<LabelSelector>[]>(
  fc.constant({}),
  fc.constantFrom('web', 'api', 'db').map((app) => ({ matchLabels: { app } })),
  fc.constant({ matchExpressions: [{ key: 'tier', operator: 'Exists' as const }] }),
  fc.constant({ matchExpressions: [{ key: 'app', operator: 'NotIn' as const, values: ['web'] }] }),
);
const nsSel: fc.Arbitrary<LabelSelector> = fc.oneof<fc.Arbitrary<LabelSelector>[]>(
  fc.constant({}),
  fc.constantFrom('prod', 'dev').map((env) => ({ matchLabels: { env } })),
);
const peer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  labelSel.map((podSelector) => ({ podSelector })),
  nsSel.map((namespaceSelector) => ({ namespaceSelector })),
  fc.record({ podSelector: labelSel, namespaceSelector: nsSel }),
  fc.constantFrom<NetworkPolicyPeer>(
    { ipBlock: { cidr: '10.0.0.0/16', except: ['10.0.1.0/24'] } },
    { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } },
  ),
);
const port: fc.Arbitrary<NetworkPolicyPort> = fc.constantFrom<NetworkPolicyPort>(
  { port: 80 },
  { port: 443 },
  { port: 'http' },
  { port: 50, endPort: 90 },
  { protocol: 'UDP', port: 53 },
  { protocol: 'UDP' },
);
const rule = fc.record({
  peers: fc.option(fc.array(peer, { maxLength: 3 }), { nil: undefined }),
  ports: fc.option(fc.array(port, { maxLength: 2 }), { nil: undefined }),
});
const types = fc.constantFrom<NetworkPolicySpec['policyTypes']>(
  undefined,
  ['Ingress'],
  ['Egress'],
  ['Ingress', 'Egress'],
);

const policy = fc
  .record({
    ns: fc.constantFrom('a', 'b', 'c'),
    podSelector: labelSel,
    policyTypes: types,
    ingress: fc.option(fc.array(rule, { maxLength: 3 }), { nil: undefined }),
    egress: fc.option(fc.array(rule, { maxLength: 3 }), { nil: undefined }),
  })
  .map(({ ns: namespace, podSelector, policyTypes, ingress, egress }) => {
    const spec: NetworkPolicySpec = { podSelector };
    if (policyTypes !== undefined) spec.policyTypes = policyTypes;
    if (ingress !== undefined)
      spec.ingress = ingress.map((r) => ({
        ...(r.peers && { from: r.peers }),
        ...(r.ports && { ports: r.ports }),
      }));
    if (egress !== undefined)
      spec.egress = egress.map((r) => ({
        ...(r.peers && { to: r.peers }),
        ...(r.ports && { ports: r.ports }),
      }));
    return { namespace, name: 'p', spec } satisfies NetworkPolicy;
  });
const policies = fc.array(policy, { maxLength: 6 }).map((ps) => ps.map((p, i) => ({ ...p, name: `p${i}` })));
const flows = fc.array(
  fc.record({
    from: fc.constantFrom(...pods),
    to: fc.constantFrom(...endpoints),
    port: fc.constantFrom(53, 80, 443, 8080),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
  }),
  { minLength: 1, maxLength: 8 },
);

/** A deterministic shuffle from a seed, so fast-check can shrink and replay it. */
function shuffle<T>(xs: readonly T[] | undefined, seed: number): T[] | undefined {
  if (xs === undefined) return undefined;
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function reorder(ps: NetworkPolicy[], seed: number, what: 'policies' | 'rules' | 'peers'): NetworkPolicy[] {
  if (what === 'policies') return shuffle(ps, seed)!;
  return ps.map((p, i) => {
    const s = seed + i;
    const spec = { ...p.spec };
    if (what === 'rules') {
      spec.ingress = shuffle(p.spec.ingress, s);
      spec.egress = shuffle(p.spec.egress, s + 7);
    } else {
      spec.ingress = p.spec.ingress?.map((r, k) => ({ ...r, from: shuffle(r.from, s + k) }));
      spec.egress = p.spec.egress?.map((r, k) => ({ ...r, to: shuffle(r.to, s + k) }));
    }
    return { ...p, spec };
  });
}

const verdicts = (ps: NetworkPolicy[], fs: FlowQuery[]) => {
  const engine = new PolicyEngine({ policies: ps, namespaces });
  return fs.map((f) => engine.predict(f).predicted);
};

describe('prediction properties', () => {
  for (const what of ['policies', 'rules', 'peers'] as const) {
    it(`does not depend on the order of ${what}`, () => {
      fc.assert(
        fc.property(policies, flows, fc.nat(), (ps, fs, seed) => {
          assert.deepEqual(verdicts(reorder(ps, seed, what), fs), verdicts(ps, fs));
        }),
        { numRuns: 300 },
      );
    });
  }

  it('never takes an allowed flow away when a policy gains an allow-all rule', () => {
    fc.assert(
      fc.property(policies, flows, fc.nat(), (ps, fs, k) => {
        if (ps.length === 0) return;
        const i = k % ps.length;
        const widened = ps.map((p, j) =>
          j === i
            ? {
                ...p,
                spec: {
                  ...p.spec,
                  ingress: [...(p.spec.ingress ?? []), {}],
                  egress: [...(p.spec.egress ?? []), {}],
                },
              }
            : p,
        );
        const before = verdicts(ps, fs);
        const after = verdicts(widened, fs);
        before.forEach((v, n) => {
          if (v === 'Allowed') assert.equal(after[n], 'Allowed');
        });
      }),
      { numRuns: 300 },
    );
  });
});

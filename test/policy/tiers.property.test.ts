// Properties of the tiers: priorities, not the order objects arrive in, decide (network-policy-api commit
// 0eec1b0e, ClusterNetworkPolicySpec.priority). Policies of distinct priorities in any order give the same
// predictions and reasons; with shared priorities the verdict still does not depend on the order (where the
// API leaves it undefined the engine says Unknown rather than pick one).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  PolicyEngine,
  type ClusterPeer,
  type ClusterPolicy,
  type ClusterPort,
  type ClusterRule,
  type ClusterSubject,
  type FlowQuery,
  type NetworkPolicy,
} from '../../src/policy/index.js';
import { external, ns, np, pod } from './builders.js';

const namespaces = [ns('a', { env: 'prod' }), ns('b', { env: 'dev' }), ns('c')];
const pods = [
  pod('a', 'web', { app: 'web' }, { ip: '10.0.0.1', ports: [{ name: 'http', containerPort: 80 }] }),
  pod('a', 'api', { app: 'api' }, { ip: '10.0.0.2' }),
  pod('b', 'web', { app: 'web' }, { ip: '10.0.1.1' }),
  pod('b', 'tpl', { app: 'api' }), // a template: no IP
  pod('c', 'db', { app: 'db' }, { ip: '10.0.2.1' }),
];
const endpoints = [...pods, external('169.254.169.254'), external('8.8.8.8')];
const networkPolicies: NetworkPolicy[] = [
  np('a', 'api-in', {
    podSelector: { matchLabels: { app: 'api' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
  }),
  np('b', 'deny-out', { podSelector: {}, policyTypes: ['Egress'] }),
];

const subject = fc.constantFrom<ClusterSubject>(
  { namespaces: {} },
  { namespaces: { matchLabels: { env: 'prod' } } },
  { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } },
);
const peer = fc.constantFrom<ClusterPeer>(
  { namespaces: {} },
  { namespaces: { matchLabels: { env: 'dev' } } },
  { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } },
  { networks: ['10.0.0.0/24'] },
  { networks: ['169.254.169.254/32'] },
);
const port = fc.constantFrom<ClusterPort>(
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 8000, endPort: 9000 },
  { namedPort: 'http' },
  { protocol: 'UDP' },
);
const rule: fc.Arbitrary<ClusterRule> = fc.record({
  action: fc.constantFrom('Accept' as const, 'Deny' as const, 'Pass' as const),
  peers: fc.array(peer, { minLength: 1, maxLength: 2 }),
  ports: fc.option(fc.array(port, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});
const clusterPolicy = fc.record({
  tier: fc.constantFrom('Admin' as const, 'Baseline' as const),
  priority: fc.integer({ min: 0, max: 20 }),
  subject,
  ingress: fc.array(rule, { maxLength: 2 }),
  egress: fc.array(rule, { maxLength: 2 }),
});
const flows = fc.array(
  fc.record({
    from: fc.constantFrom(...pods),
    to: fc.constantFrom(...endpoints),
    port: fc.constantFrom(80, 8080, 53),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
  }),
  { minLength: 1, maxLength: 6 },
);

function named(raw: fc.Arbitrary<Omit<ClusterPolicy, 'kind' | 'name'>[]>): fc.Arbitrary<ClusterPolicy[]> {
  return raw.map((ps) => ps.map((p, i) => ({ ...p, kind: 'ClusterNetworkPolicy' as const, name: `p${i}` })));
}

/** Each policy a priority of its own. */
const distinct = named(fc.uniqueArray(clusterPolicy, { maxLength: 5, selector: (p) => p.priority }));
const any = named(fc.array(clusterPolicy, { maxLength: 5 }));

function shuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const predict = (cps: ClusterPolicy[], fs: FlowQuery[]) => {
  const engine = new PolicyEngine({ policies: networkPolicies, namespaces, clusterPolicies: cps });
  return fs.map((f) => engine.predict(f));
};

describe('tier properties', () => {
  it('reordering policies of different priorities changes no prediction and no reason', () => {
    fc.assert(
      fc.property(distinct, flows, fc.nat(), (cps, fs, seed) => {
        const before = predict(cps, fs).map((p) => [p.predicted, p.reasons]);
        const after = predict(shuffle(cps, seed), fs).map((p) => [p.predicted, p.reasons]);
        assert.deepEqual(after, before);
      }),
      { numRuns: 300 },
    );
  });

  it('reordering policies that share priorities changes no prediction', () => {
    fc.assert(
      fc.property(any, flows, fc.nat(), (cps, fs, seed) => {
        const before = predict(cps, fs).map((p) => p.predicted);
        assert.deepEqual(
          predict(shuffle(cps, seed), fs).map((p) => p.predicted),
          before,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('an Admin Deny of everything from every namespace leaves no pod-to-pod flow allowed', () => {
    const denyAll: ClusterPolicy = {
      kind: 'ClusterNetworkPolicy',
      name: 'deny-all',
      tier: 'Admin',
      priority: 0,
      subject: { namespaces: {} },
      ingress: [],
      egress: [{ action: 'Deny', peers: [{ namespaces: {} }] }],
    };
    fc.assert(
      fc.property(any, flows, (cps, fs) => {
        const podFlows = fs.filter((f) => f.to.kind === 'pod');
        const later = cps.map((c) => ({ ...c, priority: c.priority + 1 }));
        for (const p of predict([...later, denyAll], podFlows)) assert.equal(p.predicted, 'Denied');
      }),
      { numRuns: 200 },
    );
  });
});

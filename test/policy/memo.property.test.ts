// The engine's caches change nothing: an engine that reuses each side of a flow for endpoints of the same
// classes (src/policy/endpoint-class.ts) gives, flow after flow, exactly the predictions, decisions and
// reasons of one that evaluates every side afresh (`memoize: false`). The clusters are drawn to tempt a
// wrong cache: replicas with equal labels in different namespaces and at addresses on either side of an
// except, host-network and address-less pods with the same labels, named ports that differ between
// replicas, NetworkPolicies and both tiers of ClusterNetworkPolicy together.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  PolicyEngine,
  type ClusterPeer,
  type ClusterPolicy,
  type ClusterPort,
  type ClusterRule,
  type ClusterSubject,
  type DirectionResult,
  formatHit,
  type FlowQuery,
  type LabelSelector,
  type PolicyPrediction,
  type TierHit,
  type NetworkPolicy,
  type NetworkPolicyPeer,
  type NetworkPolicyPort,
} from '../../src/policy/index.js';
import { external, ns, np, pod } from './builders.js';

const namespaces = [ns('a', { env: 'prod' }), ns('b', { env: 'dev' }), ns('c')];
const http = { name: 'http', containerPort: 80 };
const pods = [
  pod('a', 'web-1', { app: 'web' }, { ip: '10.0.0.1', ports: [http] }),
  pod('a', 'web-2', { app: 'web' }, { ip: '10.0.0.130', ports: [http] }),
  pod('a', 'web-3', { app: 'web' }, { ip: '10.0.0.2', ports: [{ name: 'http', containerPort: 8080 }] }),
  pod('a', 'web-tpl', { app: 'web' }), // a template: no IP
  pod('a', 'web-host', { app: 'web' }, { ip: '192.168.0.5', hostNetwork: true, ports: [http] }),
  pod('b', 'web-1', { app: 'web' }, { ip: '10.0.1.1', ports: [http] }),
  pod('b', 'api-1', { app: 'api' }, { ip: '10.0.1.2' }),
  pod('b', 'api-2', { app: 'api' }, { ip: '169.254.0.9' }),
  pod(
    'c',
    'db',
    { app: 'db', tier: 'back' },
    { ip: '10.0.2.1', ports: [{ name: 'sql', containerPort: 5432 }] },
  ),
  pod(
    'c',
    'db-udp',
    { app: 'db', tier: 'back' },
    { ip: '10.0.2.2', ports: [{ name: 'sql', containerPort: 5432, protocol: 'UDP' }] },
  ),
];
const endpoints = [
  ...pods,
  external('169.254.169.254'),
  external('8.8.8.8'),
  external('10.0.0.3'),
  external(undefined, 'example.com'),
  external('fd00::1'),
];

const selectors: LabelSelector[] = [
  {},
  { matchLabels: { app: 'web' } },
  { matchLabels: { app: 'api' } },
  { matchExpressions: [{ key: 'tier', operator: 'Exists' }] },
];
const selector = fc.constantFrom(...selectors);
const nsSelectors: LabelSelector[] = [{}, { matchLabels: { env: 'prod' } }, { matchLabels: { env: 'dev' } }];
const nsSelector = fc.constantFrom(...nsSelectors);
const npPeer: fc.Arbitrary<NetworkPolicyPeer> = fc.oneof(
  selector.map((podSelector) => ({ podSelector })),
  fc.record({ namespaceSelector: nsSelector, podSelector: selector }),
  fc.constantFrom<NetworkPolicyPeer>(
    { ipBlock: { cidr: '10.0.0.0/24', except: ['10.0.0.128/25'] } },
    { ipBlock: { cidr: '10.0.0.0/8' } },
    { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '169.254.0.0/16'] } },
    { ipBlock: { cidr: 'fd00::/8' } },
  ),
);
const npPort = fc.constantFrom<NetworkPolicyPort>(
  { port: 80 },
  { port: 'http' },
  { port: 'sql', protocol: 'UDP' },
  { port: 8000, endPort: 9000 },
  { protocol: 'UDP' },
);
const npRule = fc.record(
  { peers: fc.array(npPeer, { maxLength: 2 }), ports: fc.array(npPort, { maxLength: 2 }) },
  { requiredKeys: [] },
);
const networkPolicy = fc
  .record({
    namespace: fc.constantFrom('a', 'b', 'c'),
    podSelector: selector,
    types: fc.subarray(['Ingress', 'Egress'] as const, { minLength: 1 }),
    ingress: fc.array(npRule, { maxLength: 2 }),
    egress: fc.array(npRule, { maxLength: 2 }),
  })
  .map(({ namespace, podSelector, types, ingress, egress }) => ({
    namespace,
    spec: {
      podSelector,
      policyTypes: [...types],
      ingress: ingress.map((r) => ({
        ...(r.peers && { from: r.peers }),
        ...(r.ports && { ports: r.ports }),
      })),
      egress: egress.map((r) => ({ ...(r.peers && { to: r.peers }), ...(r.ports && { ports: r.ports }) })),
    },
  }));

const subject = fc.constantFrom<ClusterSubject>(
  { namespaces: {} },
  { namespaces: { matchLabels: { env: 'prod' } } },
  { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } },
);
const clusterPeer = fc.constantFrom<ClusterPeer>(
  { namespaces: {} },
  { namespaces: { matchLabels: { env: 'dev' } } },
  { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'api' } } } },
  { networks: ['10.0.0.0/25'] },
  { networks: ['169.254.169.254/32', '8.8.0.0/16'] },
  { networks: ['169.254.0.0/16'] },
  { nodes: {} },
  { domainNames: ['example.com'] },
);
const clusterPort = fc.constantFrom<ClusterPort>(
  { protocol: 'TCP', port: 80 },
  { protocol: 'TCP', port: 8000, endPort: 9000 },
  { namedPort: 'http' },
  { namedPort: 'sql' },
  { protocol: 'UDP' },
);
const clusterRule: fc.Arbitrary<ClusterRule> = fc.record({
  action: fc.constantFrom('Accept' as const, 'Deny' as const, 'Pass' as const),
  peers: fc.array(clusterPeer, { minLength: 1, maxLength: 2 }),
  ports: fc.option(fc.array(clusterPort, { minLength: 1, maxLength: 2 }), { nil: undefined }),
});
const clusterPolicies = fc
  .array(
    fc.record({
      tier: fc.constantFrom('Admin' as const, 'Baseline' as const),
      priority: fc.integer({ min: 0, max: 4 }),
      subject,
      ingress: fc.array(clusterRule, { maxLength: 2 }),
      egress: fc.array(clusterRule, { maxLength: 2 }),
    }),
    { maxLength: 4 },
  )
  .map((ps) => ps.map((p, i): ClusterPolicy => ({ ...p, kind: 'ClusterNetworkPolicy', name: `p${i}` })));

/** Every pod to every endpoint on the drawn ports, in a drawn order: the first of a class fills the cache. */
const flows: fc.Arbitrary<FlowQuery[]> = fc
  .tuple(
    fc.uniqueArray(
      fc.record({
        port: fc.constantFrom(80, 8080, 5432),
        protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
      }),
      { minLength: 1, maxLength: 2, selector: (p) => `${p.port}/${p.protocol}` },
    ),
    fc.nat(),
  )
  .map(([ports, seed]) =>
    shuffle(
      pods.flatMap((from) => endpoints.flatMap((to) => ports.map((p) => ({ from, to, ...p })))),
      seed,
    ),
  );

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

/** A side as a user sees it: compiled policies (with their functions and caches) by name, hits as text. */
function view(r: DirectionResult): object {
  const { tiers, ...rest } = r;
  if (tiers === undefined) return rest;
  const hit = (h: TierHit | undefined) =>
    h === undefined ? undefined : `${formatHit(h)} ${h.port} ${String(h.certain)} ${h.why ?? ''}`;
  return {
    ...rest,
    tiers: {
      ...tiers,
      hit: hit(tiers.hit),
      pass: hit(tiers.pass),
      uncertain: hit(tiers.uncertain),
      overriddenBaseline: hit(tiers.overriddenBaseline),
    },
  };
}

const seen = (p: PolicyPrediction) => ({ ...p, egress: view(p.egress), ingress: view(p.ingress) });

describe('engine caches', () => {
  it('predict, flow after flow, exactly what an engine that evaluates every side afresh predicts', () => {
    fc.assert(
      fc.property(
        fc.array(networkPolicy, { maxLength: 4 }),
        clusterPolicies,
        flows,
        (raw, cps, fs: FlowQuery[]) => {
          const policies: NetworkPolicy[] = raw.map((p, i) => np(p.namespace, `np${i}`, p.spec));
          const input = { namespaces, policies, clusterPolicies: cps };
          const cached = new PolicyEngine(input);
          const fresh = new PolicyEngine(input, { memoize: false });
          // A cache bounded to a few sides starts afresh again and again (as the operator's does past
          // MAX_KNOWN_SIDES): what it predicts must not change either.
          const bounded = new PolicyEngine(input, { maxKnownSides: 3 });
          for (const f of fs) {
            const want = seen(fresh.predict(f));
            assert.deepStrictEqual(seen(cached.predict(f)), want);
            assert.deepStrictEqual(seen(bounded.predict(f)), want);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

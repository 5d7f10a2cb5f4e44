// Properties of the out-of-model layer, on manifests: adding a Cilium, Calico or Antrea policy never
// turns an Unknown flow into Allowed or Denied, never changes a flow on which it cannot select either
// side, and makes Unknown a flow whose source (egress) or destination (ingress) it selects — unless a side
// it does not select denies the flow (a flow must pass both sides: it cannot reopen that one), where the
// Denied stands and the reasons name it. Whether it can select is worked out here independently: every
// generated object selects `team == T` (in its namespace, for a namespaced kind) in the directions it has
// rules for.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { FlowExplanation } from '../../src/explain/index.js';
import { ctest, deployment, policy, pod, report } from './helpers.js';

const NAMESPACES = ['a', 'b'] as const;
const TEAMS = ['x', 'y', 'z'] as const;
type Ns = (typeof NAMESPACES)[number];
type Team = (typeof TEAMS)[number];

const workloads = [
  deployment('a', 'x', '{ team: x }'),
  pod('a', 'y', '{ team: y }', '10.0.0.2'),
  deployment('b', 'y', '{ team: y }'),
  pod('b', 'z', '{ team: z }', '10.0.1.3'),
];
const podsOf: Record<Ns, Team[]> = { a: ['x', 'y'], b: ['y', 'z'] };

/** NetworkPolicies to combine: deny-all, a team allow, an egress allow, and an ipBlock nobody's IP decides. */
const POLICIES = [
  policy('a', 'deny-in', '{ podSelector: {} }'),
  policy(
    'b',
    'from-x',
    '{ podSelector: {}, ingress: [{ from: [{ namespaceSelector: {}, podSelector: { matchLabels: { team: x } } }] }] }',
  ),
  policy(
    'a',
    'out-to-z',
    '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: {}, podSelector: { matchLabels: { team: z } } }] }] }',
  ),
  policy(
    'b',
    'from-net',
    '{ podSelector: { matchLabels: { team: y } }, ingress: [{ from: [{ ipBlock: { cidr: 10.0.0.0/8 } }] }] }',
  ),
];

interface Flow {
  ns: Ns;
  from: Team;
  toNs: Ns;
  to: Team;
}

interface Extra {
  family: 'cilium' | 'calico' | 'antrea';
  namespace: Ns | undefined;
  team: Team;
  ingress: boolean;
  egress: boolean;
}

function manifestOf(e: Extra): string {
  const meta = e.namespace === undefined ? '{ name: extra }' : `{ name: extra, namespace: ${e.namespace} }`;
  const sel = `{ matchLabels: { team: ${e.team} } }`;
  if (e.family === 'cilium') {
    const kind = e.namespace === undefined ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy';
    const dirs = [e.ingress ? 'ingress: [{}]' : '', e.egress ? 'egressDeny: [{}]' : ''].filter((x) => x);
    return `apiVersion: cilium.io/v2\nkind: ${kind}\nmetadata: ${meta}\nspec: { endpointSelector: ${sel}${dirs.map((d) => `, ${d}`).join('')} }`;
  }
  if (e.family === 'calico') {
    const kind = e.namespace === undefined ? 'GlobalNetworkPolicy' : 'NetworkPolicy';
    const types = [e.ingress ? 'Ingress' : '', e.egress ? 'Egress' : ''].filter((x) => x).join(', ');
    return `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: ${meta}\nspec: { selector: "team == '${e.team}'", types: [${types}] }`;
  }
  const kind = e.namespace === undefined ? 'ClusterNetworkPolicy' : 'NetworkPolicy';
  const rules = [
    e.ingress ? 'ingress: [{ action: Drop }]' : '',
    e.egress ? 'egress: [{ action: Allow }]' : '',
  ];
  return `apiVersion: crd.antrea.io/v1beta1\nkind: ${kind}\nmetadata: ${meta}\nspec: { priority: 1, appliedTo: [{ podSelector: ${sel} }]${rules
    .filter((x) => x)
    .map((r) => `, ${r}`)
    .join('')} }`;
}

/** The independent answer: does the object select a pod of team `team` in namespace `ns`? */
function selectsPod(e: Extra, ns: Ns, team: Team): boolean {
  return (e.namespace === undefined || e.namespace === ns) && e.team === team;
}

function selectedSides(e: Extra, f: Flow): { source: boolean; destination: boolean } {
  const source = e.egress && selectsPod(e, f.ns, f.from);
  const destination = e.ingress && podsOf[f.toNs].includes(f.to) && selectsPod(e, f.toNs, f.to);
  return { source, destination };
}

/** Sides POLICIES deny for certain, worked out by hand: deny-in closes a's ingress, out-to-z a's egress. */
function certainlyDenied(policies: readonly string[], f: Flow): { egress: boolean; ingress: boolean } {
  const has = (name: string) => policies.some((p) => p.includes(`name: ${name},`));
  return {
    egress: has('out-to-z') && f.ns === 'a' && f.to !== 'z',
    ingress: has('deny-in') && f.toNs === 'a',
  };
}

const flowArb: fc.Arbitrary<Flow> = fc.record({
  ns: fc.constantFrom(...NAMESPACES),
  from: fc.constantFrom(...TEAMS),
  toNs: fc.constantFrom(...NAMESPACES),
  to: fc.constantFrom(...TEAMS),
});
const extraArb: fc.Arbitrary<Extra> = fc
  .record({
    family: fc.constantFrom('cilium' as const, 'calico' as const, 'antrea' as const),
    namespace: fc.option(fc.constantFrom(...NAMESPACES), { nil: undefined }),
    team: fc.constantFrom(...TEAMS),
    ingress: fc.boolean(),
    egress: fc.boolean(),
  })
  .filter((e) => e.ingress || e.egress);

function explainAll(flows: Flow[], policies: string[], extra: string[]): FlowExplanation[] {
  const byNs = NAMESPACES.map((ns) => {
    const mine = flows.flatMap((f, i) => (f.ns === ns ? [{ f, i }] : []));
    if (mine.length === 0) return '';
    return ctest(
      ns,
      ...mine.map(
        ({ f, i }) =>
          `{ name: f${i}, from: { labels: { team: ${f.from} } }, to: { podSelector: { matchLabels: { team: ${f.to} } }, namespace: ${f.toNs} }, port: 80, expect: Allowed }`,
      ),
    );
  }).filter((t) => t !== '');
  const r = report(
    ...workloads,
    ...policies,
    ...extra,
    ...byNs.map((t, i) => t.replace('name: t', `name: t${i}`)),
  );
  return flows.map((_, i) => {
    const hit = r.results.find((x) => x.flow === `f${i}`);
    if (hit === undefined) throw new Error(`no result for f${i}`);
    return hit;
  });
}

describe('adding a policy flowprobe does not model (property)', () => {
  it('never decides an Unknown flow, leaves flows it cannot select alone, and makes the others Unknown unless an unselected side denies them', () => {
    fc.assert(
      fc.property(
        fc.array(flowArb, { minLength: 1, maxLength: 6 }),
        fc.subarray(POLICIES),
        extraArb,
        (flows, policies, extra) => {
          const before = explainAll(flows, policies, []);
          const after = explainAll(flows, policies, [manifestOf(extra)]);
          flows.forEach((f, i) => {
            const b = before[i];
            const a = after[i];
            assert.ok(a !== undefined && b !== undefined);
            const why = JSON.stringify({ f, extra, a });
            if (b.predicted === 'Unknown') {
              assert.equal(a.predicted, 'Unknown', why);
              return;
            }
            const sel = selectedSides(extra, f);
            if (!sel.source && !sel.destination) {
              assert.deepEqual(a, b, why);
              return;
            }
            const denied = certainlyDenied(policies, f);
            const stands =
              (sel.source && !sel.destination && denied.ingress) || (!sel.source && denied.egress);
            if (stands) {
              assert.equal(a.predicted, 'Denied', why);
              assert.match(a.reasons[0] ?? '', /extra may select/, why);
              assert.ok(
                a.reasons.some((r) => r.endsWith('the prediction stands')),
                why,
              );
            } else if (sel.source && sel.destination) assert.equal(a.predicted, 'Unknown', why);
            else if (a.predicted !== 'Unknown')
              assert.deepEqual([b.predicted, a.predicted], ['Denied', 'Denied'], why);
          });
        },
      ),
      { numRuns: 60 },
    );
  });
});

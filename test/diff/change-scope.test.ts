// The undeclared scan predicts only the paths a change can reach (src/diff/change-scope.ts). That must never
// hide a change: for each edit, the narrowed scan finds exactly what predicting every path finds, and the
// scan's shortcuts (a half the change cannot reach asked once, an egress deny that settles a path) find
// what predicting each path whole finds.
import { strict as assert } from 'node:assert';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { changeScope } from '../../src/diff/change-scope.js';
import { buildSide, type DiffSide } from '../../src/diff/diff-side.js';
import type { IdentityGroup } from '../../src/diff/identity-groups.js';
import { undeclaredChanges, type UndeclaredResult } from '../../src/diff/undeclared-changes.js';
import type { PolicyProtocol } from '../../src/policy/index.js';
import { loadManifests } from '../../src/manifest/load.js';
import {
  exampleTrees,
  PRODUCTION_DNS_ALLOW,
  SHOP_CART,
  STOREFRONT_PEER_AND,
  STOREFRONT_PEERS_OR,
  type ExampleTrees,
} from './example-trees.js';

async function side(dir: string): Promise<DiffSide> {
  const outcome = buildSide(await loadManifests([dir]), validateConnectivityTest);
  assert.ok('side' in outcome);
  return outcome.side;
}

const EDITS: [string, (t: ExampleTrees) => void][] = [
  [
    'removing a DNS allow',
    (t) => {
      t.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
    },
  ],
  [
    'an AND turned into an OR',
    (t) => {
      t.append('base', 'platform/10-tenants.yaml', SHOP_CART);
      t.append('head', 'platform/10-tenants.yaml', SHOP_CART);
      t.edit('head', 'platform/30-network-policies.yaml', STOREFRONT_PEER_AND, STOREFRONT_PEERS_OR);
    },
  ],
  [
    'removing a default deny',
    (t) => {
      t.removeDocument('head', 'production/20-network-policies.yaml', 'name: default-deny-all');
    },
  ],
  [
    'renaming the container port a policy names',
    (t) => {
      anyShopPodToInvoices(t);
      t.edit(
        'head',
        'platform/10-tenants.yaml',
        INVOICES_PORT,
        INVOICES_PORT.replace('name: http', 'name: web'),
      );
    },
  ],
  [
    'a workload that moves to another port',
    (t) => {
      anyShopPodToInvoices(t);
      t.edit('head', 'platform/10-tenants.yaml', INVOICES_PORT, INVOICES_PORT.replace('8080', '8081'));
    },
  ],
  [
    'a namespace label that a selector reads',
    (t) => {
      t.edit('head', 'platform/10-tenants.yaml', 'labels: { tenant: shop }', 'labels: { tenant: shop-old }');
    },
  ],
  [
    'a namespace that gains the label a cluster-wide peer reads',
    (t) => {
      // isolate-shop and isolate-billing deny ingress from every other namespace with a tenant label.
      t.edit(
        'head',
        'production/10-workloads.yaml',
        'labels: { environment: production }',
        'labels: { environment: production, tenant: production }',
      );
    },
  ],
  [
    'a namespace that loses the label cluster-wide subjects and peers read',
    (t) => {
      t.edit('head', 'platform/10-tenants.yaml', 'labels: { tenant: billing }', 'labels: { team: billing }');
    },
  ],
  [
    'removing a cluster-wide policy',
    (t) => {
      t.removeDocument('head', 'platform/20-cluster-policies.yaml', 'name: isolate-shop');
    },
  ],
  [
    'a cluster-wide policy that selects every namespace',
    (t) => {
      t.append('head', 'platform/20-cluster-policies.yaml', CONTAIN_STOREFRONT);
    },
  ],
  [
    'a CNI-specific policy added',
    (t) => {
      t.append('head', 'production/20-network-policies.yaml', CILIUM_API_L7);
    },
  ],
];

/** An Admin deny of the storefront's egress to every pod, from a subject over every namespace. */
const CONTAIN_STOREFRONT = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: contain-storefront }
spec:
  tier: Admin
  priority: 20
  subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: storefront } } } }
  egress:
    - { name: no-pods, action: Deny, to: [{ namespaces: {} }] }`;

/** A Cilium policy on the API backend: flowprobe does not model it, so paths from it become Unknown. */
const CILIUM_API_L7 = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: api-l7, namespace: production }
spec: { endpointSelector: { matchLabels: { app: api-backend } }, egress: [{ toEntities: [world] }] }`;

const INVOICES_PORT = `image: ghcr.io/example/invoices:1.8.0
          ports:
            - { name: http, containerPort: 8080 }`;

/** Both sides: a cart in shop, and billing admitting every pod of shop (OR), so the cart reaches invoices. */
function anyShopPodToInvoices(t: ExampleTrees): void {
  for (const tree of ['base', 'head'] as const) {
    t.append(tree, 'platform/10-tenants.yaml', SHOP_CART);
    t.edit(tree, 'platform/30-network-policies.yaml', STOREFRONT_PEER_AND, STOREFRONT_PEERS_OR);
  }
}

const listed = (r: UndeclaredResult) =>
  r.changes.map((c) => `${c.from} ${c.to} ${c.port}/${c.protocol} ${c.before}->${c.after}`).sort();

/**
 * The changed undeclared paths as predicting each path whole gives them (engine.decide, then a CNI-specific
 * policy on either end makes it Unknown unless an end none selects denies): no halves asked once, no
 * egress deny that skips the ingress, as the scan's shortcuts do.
 */
function wholePredictions(base: DiffSide, head: DiffSide): string[] {
  const predict = (s: DiffSide, from: IdentityGroup, to: IdentityGroup, port: number, protocol: string) => {
    const [a, b] = [from.representative, to.representative];
    const p = s.engine.predict({ from: a, to: b, port, protocol: protocol as PolicyProtocol });
    const hits = s.outOfModel.hits(a, b);
    if (hits.length === 0 || p.predicted === 'Unknown') return hits.length === 0 ? p.predicted : 'Unknown';
    if (p.predicted === 'Allowed') return 'Unknown';
    const selected = (side: string) => hits.some((h) => h.side === side);
    const egressStands = p.egress.decision === 'no' && !selected('source');
    return egressStands || (p.ingress.decision === 'no' && !selected('destination')) ? 'Denied' : 'Unknown';
  };
  const ports = [...new Set([...base.declaredPorts, ...head.declaredPorts])];
  const out: string[] = [];
  for (const from of head.groups.values()) {
    const wasFrom = base.groups.get(from.key);
    for (const to of head.groups.values()) {
      const wasTo = base.groups.get(to.key);
      if (wasFrom === undefined || wasTo === undefined) continue;
      for (const key of new Set([...ports, ...to.ports, ...wasTo.ports])) {
        const path = `${from.key}|${to.key}|${key}`;
        if (base.declaredPaths.has(path) || head.declaredPaths.has(path)) continue;
        const [port, protocol] = key.split('/') as [string, string];
        const before = predict(base, wasFrom, wasTo, Number(port), protocol);
        const after = predict(head, from, to, Number(port), protocol);
        if (before !== after) out.push(`${from.display} ${to.display} ${key} ${before}->${after}`);
      }
    }
  }
  return out.sort();
}

describe('the undeclared scan predicts only what a change can reach', () => {
  let trees: ExampleTrees;
  beforeEach(() => {
    trees = exampleTrees();
  });
  afterEach(() => {
    trees.remove();
  });

  for (const [name, edit] of EDITS) {
    it(`finds what predicting every path finds: ${name}`, async () => {
      edit(trees);
      const [base, head] = [await side(trees.base), await side(trees.head)];
      const narrowed = undeclaredChanges(base, head, 10_000);
      const every = undeclaredChanges(base, head, 10_000, {
        all: true,
        sources: new Set(),
        destinations: new Set(),
        others: new Set(),
      });
      assert.deepEqual(narrowed, every);
      assert.deepEqual(listed(every), wholePredictions(base, head));
      // Each edit changes some undeclared path, so the comparison is not between two empty lists.
      assert.ok(every.changes.length > 0, 'the edit changes an undeclared path');
    });
  }

  it('a namespace label change narrows the scan to the identities of that namespace', async () => {
    trees.edit(
      'head',
      'platform/10-tenants.yaml',
      'labels: { tenant: shop }',
      'labels: { tenant: shop-old }',
    );
    const [base, head] = [await side(trees.base), await side(trees.head)];
    const scope = changeScope(base, head);
    const shop = [...head.groups.values()].filter((g) => g.namespace === 'shop').map((g) => g.key);
    assert.ok(shop.length > 0);
    assert.deepEqual([...scope.sources].sort(), shop.sort());
    assert.deepEqual([...scope.destinations].sort(), shop.sort());
  });

  it('a cluster-wide policy change narrows the scan to the identities it selects', async () => {
    trees.removeDocument('head', 'platform/20-cluster-policies.yaml', 'name: isolate-shop');
    const [base, head] = [await side(trees.base), await side(trees.head)];
    const scope = changeScope(base, head);
    const shop = [...base.groups.values()].filter((g) => g.namespace === 'shop').map((g) => g.key);
    // isolate-shop has ingress rules only: the shop's ingress may differ, nobody's egress.
    assert.equal(scope.sources.size, 0);
    assert.deepEqual([...scope.destinations].sort(), shop.sort());
  });

  it('a NetworkPolicy change narrows the scan to the identities that policy selects', async () => {
    trees.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
    const scope = changeScope(await side(trees.base), await side(trees.head));
    assert.equal(scope.all, false);
    // allow-dns selects every production pod, for egress only.
    assert.equal(scope.sources.size, 3);
    assert.equal(scope.destinations.size, 0);
  });
});

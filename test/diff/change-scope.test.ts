// The undeclared scan predicts only the paths a change can reach (src/diff/change-scope.ts). That must never
// hide a change: for each edit, the narrowed scan finds exactly what predicting every path finds.
import { strict as assert } from 'node:assert';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { changeScope } from '../../src/diff/change-scope.js';
import { buildSide, type DiffSide } from '../../src/diff/diff-side.js';
import { undeclaredChanges } from '../../src/diff/undeclared-changes.js';
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
      });
      assert.deepEqual(narrowed, every);
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

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
];

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

  it('a NetworkPolicy change narrows the scan to the identities that policy selects', async () => {
    trees.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
    const scope = changeScope(await side(trees.base), await side(trees.head));
    assert.equal(scope.all, false);
    // allow-dns selects every production pod, for egress only.
    assert.equal(scope.sources.size, 3);
    assert.equal(scope.destinations.size, 0);
  });
});

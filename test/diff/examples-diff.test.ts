// `flowprobe diff` on the seed examples: copies of examples/ as base and head, one manifest changed, as a
// pull request would change it. Each test says what a reviewer must be told about that change.
import { strict as assert } from 'node:assert';
import type { DeclaredChange, DiffResult } from '../../src/diff/index.js';
import {
  diffTrees,
  exampleTrees,
  PRODUCTION_DNS_ALLOW,
  SHOP_CART,
  STOREFRONT_PEER_AND,
  STOREFRONT_PEERS_OR,
  type ExampleTrees,
} from './example-trees.js';

const flows = (changes: readonly DeclaredChange[]) => changes.map((c) => c.flow).sort();

describe('flowprobe diff on examples/', () => {
  let trees: ExampleTrees;
  beforeEach(() => {
    trees = exampleTrees();
  });
  afterEach(() => {
    trees.remove();
  });

  it('identical trees: no declared change and no undeclared path', async () => {
    const r = await diffTrees(trees.base, trees.head);
    assert.deepEqual(r.report, { declared: [], undeclared: [] });
    assert.deepEqual(r.undeclaredTotals, { opened: 0, closed: 0, uncertain: 0 });
  });

  describe('removing the DNS allow in production', () => {
    let r: DiffResult;
    beforeEach(async () => {
      trees.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
      r = await diffTrees(trees.base, trees.head);
    });

    it('breaks exactly the declared flows that reach their target by name, and fixes nothing', () => {
      const breaks = r.report.declared.filter((c) => c.breaks);
      assert.deepEqual(flows(breaks), ['api-to-postgres', 'frontend-to-api-service']);
      for (const c of breaks) {
        assert.deepEqual(
          [c.namespace, c.expected, c.before, c.after],
          ['production', 'Allowed', 'Allowed', 'Denied'],
        );
        assert.match(c.reasons[0] ?? '', /^missing DNS egress:/);
        assert.ok(
          c.reasons.some((x) => x.startsWith('before: ') && x.includes('production/allow-dns')),
          c.reasons.join('\n'),
        );
      }
      assert.equal(r.report.declared.filter((c) => c.fixes).length, 0);
    });

    it('lists the Unknown flow that became Denied, as neither a break nor a fix', () => {
      const other = r.report.declared.filter((c) => !c.breaks && !c.fixes);
      assert.deepEqual(
        other.map((c) => [c.flow, c.before, c.after]),
        [['api-to-payments', 'Unknown', 'Denied']],
      );
    });

    // The DNS queries of the 2 broken flows (api-backend's and web-frontend's, UDP and TCP 53 to coredns) are
    // the declared flows' own paths: their break says so, and they are not listed again as undeclared. Only
    // postgres's DNS, which no declared flow needs, is an undeclared change (2 paths, not 6).
    it('closes the undeclared DNS paths of the production workload no declared flow resolves names from, and opens none', () => {
      assert.equal(r.undeclaredTotals.opened, 0);
      assert.equal(r.undeclaredTotals.uncertain, 0);
      const closed = r.report.undeclared.map(
        (u) => `${u.from} → ${u.to} ${u.port}/${u.protocol} ${u.before}→${u.after}`,
      );
      const expected = ['statefulset/postgres'].flatMap((w) =>
        ['TCP', 'UDP'].map((p) => `production/${w} → kube-system/deployment/coredns 53/${p} Allowed→Denied`),
      );
      assert.deepEqual(closed, expected);
    });
  });

  it('a second peer that turns an AND into an OR opens a path nobody declared', async () => {
    trees.append('base', 'platform/10-tenants.yaml', SHOP_CART);
    trees.append('head', 'platform/10-tenants.yaml', SHOP_CART);
    trees.edit('head', 'platform/30-network-policies.yaml', STOREFRONT_PEER_AND, STOREFRONT_PEERS_OR);
    const r = await diffTrees(trees.base, trees.head);
    assert.deepEqual(r.report.declared, []);
    assert.deepEqual(r.report.undeclared, [
      {
        from: 'shop/deployment/cart',
        to: 'billing/deployment/invoices',
        port: 8080,
        protocol: 'TCP',
        before: 'Denied',
        after: 'Allowed',
      },
    ]);
  });

  it('writing the OR peers of mistake 1 as one peer fixes the declared flow that caught it', async () => {
    trees.edit(
      'head',
      'production/20-network-policies.yaml',
      `        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: monitoring }
        - podSelector:`,
      `        - namespaceSelector:
            matchLabels: { kubernetes.io/metadata.name: monitoring }
          podSelector:`,
    );
    const r = await diffTrees(trees.base, trees.head);
    assert.deepEqual(
      r.report.declared.map((c) => [c.flow, c.before, c.after, c.breaks, c.fixes]),
      [['grafana-cannot-scrape-api', 'Allowed', 'Denied', false, true]],
    );
  });

  it('a flow only the head declares is Absent before; a test only the base has is Absent after', async () => {
    trees.edit(
      'head',
      'production/30-connectivity-test.yaml',
      '    - name: api-no-metadata\n',
      `    - name: frontend-not-to-managed-db
      from: { podSelector: { matchLabels: { app: web-frontend } } }
      to: { ip: 10.20.30.40 }
      port: 5432
      expect: Denied
    - name: api-no-metadata
`,
    );
    trees.removeDocument(
      'head',
      'platform/40-connectivity-tests.yaml',
      'metadata: { name: tenant-guardrails, namespace: billing }',
    );
    const r = await diffTrees(trees.base, trees.head);
    const rows = r.report.declared.map((c) => [
      `${c.namespace}/${c.test}`,
      c.flow,
      c.before,
      c.after,
      c.breaks,
      c.fixes,
    ]);
    assert.deepEqual(rows, [
      ['production/api-baseline', 'frontend-not-to-managed-db', 'Absent', 'Denied', false, false],
      ['billing/tenant-guardrails', 'invoices-not-to-storefront', 'Denied', 'Absent', false, false],
      ['billing/tenant-guardrails', 'invoices-no-metadata-https', 'Denied', 'Absent', false, false],
    ]);
    assert.ok(r.report.declared[1]!.reasons.every((x) => x.startsWith('before: ')));
  });

  it('a policy flowprobe does not model makes flows Unknown: listed, never a break or a fix', async () => {
    trees.append(
      'head',
      'production/20-network-policies.yaml',
      `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: { name: api-l7, namespace: production }
spec: { endpointSelector: { matchLabels: { app: api-backend } }, egress: [{ toEntities: [world] }] }`,
    );
    const r = await diffTrees(trees.base, trees.head);
    const changed = r.report.declared.map((c) => [c.flow, c.before, c.after, c.breaks, c.fixes]);
    assert.deepEqual(changed, [
      ['api-to-postgres', 'Allowed', 'Unknown', false, false],
      ['api-to-managed-db', 'Allowed', 'Unknown', false, false],
      ['api-to-internet-https', 'Allowed', 'Unknown', false, false],
      // The Admin deny decides them in the model, but an egress policy on the source may decide first.
      ['api-no-metadata', 'Denied', 'Unknown', false, false],
      ['api-no-metadata-https', 'Denied', 'Unknown', false, false],
    ]);
    assert.equal(r.undeclaredTotals.opened + r.undeclaredTotals.closed, 0);
    assert.ok(r.undeclaredTotals.uncertain > 0);
  });

  it('a sweeping change lists at most the cap of each kind, first in order, and counts the rest', async () => {
    trees.removeDocument('head', 'production/20-network-policies.yaml', 'name: default-deny-all');
    const all = await diffTrees(trees.base, trees.head, 1000);
    const capped = await diffTrees(trees.base, trees.head, 2);
    assert.ok(all.undeclaredTotals.opened > 2, JSON.stringify(all.undeclaredTotals));
    assert.deepEqual(capped.undeclaredTotals, all.undeclaredTotals);
    const opened = all.report.undeclared.filter((u) => u.after === 'Allowed');
    assert.deepEqual(
      capped.report.undeclared.filter((u) => u.after === 'Allowed'),
      opened.slice(0, 2),
    );
  });
});

// `flowprobe diff` parses each distinct file content once and shares the objects between the base and the
// head (src/manifest/parsed-files.ts). That is only sound if nothing downstream writes to them: here the
// shared objects are deep-frozen (a write to a frozen object throws in a module's strict mode) and the diff
// must come out exactly as on objects parsed separately.
import { strict as assert } from 'node:assert';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { diffObjects } from '../../src/diff/index.js';
import { loadManifests, ParsedFiles, type SourcedObject } from '../../src/manifest/load.js';
import {
  diffTrees,
  exampleTrees,
  PRODUCTION_DNS_ALLOW,
  SHOP_CART,
  STOREFRONT_PEER_AND,
  STOREFRONT_PEERS_OR,
  type ExampleTrees,
} from './example-trees.js';

function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}

const byFile = (objects: readonly SourcedObject[], suffix: string) =>
  objects.filter((o) => o.file.endsWith(suffix));

describe('diff shares the objects of files both sides hold byte for byte', () => {
  let trees: ExampleTrees;
  beforeEach(() => {
    trees = exampleTrees();
  });
  afterEach(() => {
    trees.remove();
  });

  it('an unchanged file is parsed once and named by each side; a changed file is parsed on its own', async () => {
    trees.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
    const parsed = new ParsedFiles();
    const base = await loadManifests([trees.base], parsed);
    const head = await loadManifests([trees.head], parsed);
    const [b, h] = [byFile(base, 'platform/10-tenants.yaml'), byFile(head, 'platform/10-tenants.yaml')];
    assert.ok(b.length > 0);
    assert.equal(h.length, b.length);
    for (const [i, o] of h.entries()) {
      assert.equal(o.object, b[i]?.object, 'the same object');
      assert.ok(o.file.startsWith(trees.head), o.file);
      assert.ok(b[i]?.file.startsWith(trees.base), b[i]?.file);
    }
    const changedBase = byFile(base, 'production/20-network-policies.yaml');
    const changedHead = byFile(head, 'production/20-network-policies.yaml');
    assert.equal(changedHead.length, changedBase.length - 1);
    assert.ok(changedHead.every((o) => !changedBase.some((was) => was.object === o.object)));
  });

  for (const [name, edit] of [
    [
      'removing a DNS allow',
      (t: ExampleTrees) => {
        t.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
      },
    ],
    [
      'an AND turned into an OR',
      (t: ExampleTrees) => {
        t.append('base', 'platform/10-tenants.yaml', SHOP_CART);
        t.append('head', 'platform/10-tenants.yaml', SHOP_CART);
        t.edit('head', 'platform/30-network-policies.yaml', STOREFRONT_PEER_AND, STOREFRONT_PEERS_OR);
      },
    ],
  ] as const) {
    it(`a diff on shared, deep-frozen objects gives what separately parsed ones give: ${name}`, async () => {
      edit(trees);
      const parsed = new ParsedFiles();
      const base = await loadManifests([trees.base], parsed);
      const head = await loadManifests([trees.head], parsed);
      for (const o of [...base, ...head]) deepFreeze(o.object);
      const shared = diffObjects(base, head, validateConnectivityTest);
      assert.ok('result' in shared, JSON.stringify(shared));
      assert.ok(shared.result.report.declared.length + shared.result.report.undeclared.length > 0);
      assert.deepEqual(shared.result, await diffTrees(trees.base, trees.head));
    });
  }
});

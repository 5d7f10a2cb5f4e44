// Two copies of examples/ in a temporary directory, a base and a head, for tests that change one manifest
// of the head (or of both) and diff them, as a pull request would.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strict as assert } from 'node:assert';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { diffObjects, type DiffResult } from '../../src/diff/index.js';
import { loadManifests } from '../../src/manifest/load.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

export interface ExampleTrees {
  root: string;
  base: string;
  head: string;
  /** Replaces `from` with `to` in `file` (relative to a tree); fails when `from` is not there. */
  edit(tree: 'base' | 'head', file: string, from: string, to: string): void;
  /** Deletes the YAML document of `file` that holds `marker`. */
  removeDocument(tree: 'base' | 'head', file: string, marker: string): void;
  /** Appends YAML documents to `file` of a tree. */
  append(tree: 'base' | 'head', file: string, yaml: string): void;
  remove(): void;
}

export function exampleTrees(): ExampleTrees {
  const root = mkdtempSync(join(tmpdir(), 'flowprobe-diff-'));
  const base = join(root, 'base');
  const head = join(root, 'head');
  cpSync(EXAMPLES, base, { recursive: true });
  cpSync(EXAMPLES, head, { recursive: true });
  const path = (tree: 'base' | 'head', file: string) => join(tree === 'base' ? base : head, file);
  return {
    root,
    base,
    head,
    edit(tree, file, from, to) {
      const text = readFileSync(path(tree, file), 'utf8');
      assert.ok(text.includes(from), `${file} holds ${JSON.stringify(from)}`);
      writeFileSync(path(tree, file), text.replace(from, to));
    },
    removeDocument(tree, file, marker) {
      const docs = readFileSync(path(tree, file), 'utf8').split(/^---$/m);
      const kept = docs.filter((d) => !d.includes(marker));
      assert.equal(kept.length, docs.length - 1, `one document of ${file} holds ${JSON.stringify(marker)}`);
      writeFileSync(path(tree, file), kept.join('---'));
    },
    append(tree, file, yaml) {
      writeFileSync(path(tree, file), `${readFileSync(path(tree, file), 'utf8')}\n---\n${yaml}`);
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export async function diffTrees(base: string, head: string, max?: number): Promise<DiffResult> {
  const outcome = diffObjects(
    await loadManifests([base]),
    await loadManifests([head]),
    validateConnectivityTest,
    max,
  );
  if ('errors' in outcome) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
  return outcome.result;
}

/** What names production's DNS allow in examples/production/20-network-policies.yaml. */
export const PRODUCTION_DNS_ALLOW = 'metadata: { name: allow-dns, namespace: production }';

/** billing's one peer: namespaceSelector AND podSelector. */
export const STOREFRONT_PEER_AND = `        - namespaceSelector: { matchLabels: { tenant: shop } }
          podSelector: { matchLabels: { app: storefront } }`;
/** The same selectors as two peers: namespaceSelector OR podSelector. */
export const STOREFRONT_PEERS_OR = `        - namespaceSelector: { matchLabels: { tenant: shop } }
        - podSelector: { matchLabels: { app: storefront } }`;

/** A second workload in shop, so "any pod of shop" is more than the storefront. */
export const SHOP_CART = `apiVersion: apps/v1
kind: Deployment
metadata: { name: cart, namespace: shop }
spec:
  selector:
    matchLabels: { app: cart }
  template:
    metadata:
      labels: { app: cart }
    spec:
      containers:
        - name: cart
          image: ghcr.io/example/cart:1.0.0
          ports:
            - { name: http, containerPort: 8080 }`;

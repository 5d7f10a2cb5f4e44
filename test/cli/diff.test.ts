// `flowprobe diff` as a user (or a CI job) runs it: output formats and exit codes.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exampleTrees, PRODUCTION_DNS_ALLOW, type ExampleTrees } from '../diff/example-trees.js';
import { runCli } from '../support/run-cli.js';

const fixtures = 'test/fixtures/explain';

describe('flowprobe diff', function () {
  this.timeout(30_000);
  let trees: ExampleTrees;
  beforeEach(() => {
    trees = exampleTrees();
  });
  afterEach(() => {
    trees.remove();
  });

  it('exits 0 on identical trees and says nothing changed', async () => {
    const r = await runCli(['diff', '--base', trees.base, '--head', trees.head]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /No declared flow and no undeclared path changes its prediction\./);
    assert.match(r.stdout, /^0 declared flows break, 0 fixed; 0 undeclared paths opened, 0 closed$/m);
    const json = await runCli(['diff', '--base', trees.base, '--head', trees.head, '-o', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { declared: [], undeclared: [] });
  });

  describe('when the head removes the DNS allow of production', () => {
    beforeEach(() => {
      trees.removeDocument('head', 'production/20-network-policies.yaml', PRODUCTION_DNS_ALLOW);
    });

    it('exits 1, and the table marks the breaking flows with their reasons', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^ {3}NAMESPACE\/TEST +FLOW +EXPECTED +BEFORE +AFTER$/m);
      assert.match(
        r.stdout,
        /^✗ +production\/api-baseline +frontend-to-api-service +Allowed +Allowed +Denied +breaks$/m,
      );
      assert.match(
        r.stdout,
        /^✗ +production\/api-baseline +api-to-postgres +Allowed +Allowed +Denied +breaks$/m,
      );
      assert.match(r.stdout, /^\? +production\/api-baseline +api-to-payments +Allowed +Unknown +Denied$/m);
      assert.match(r.stdout, /· missing DNS egress:/);
      assert.match(
        r.stdout,
        // postgres's DNS: the broken flows' own DNS queries are theirs, not undeclared (diff-side.ts).
        /^- +production\/statefulset\/postgres +kube-system\/deployment\/coredns +53\/UDP +Allowed +Denied$/m,
      );
      assert.match(
        r.stdout,
        /2 declared flows break, 0 fixed, 1 other change; 0 undeclared paths opened, 2 closed\n$/,
      );
    });

    it('-o json prints the contract: declared and undeclared, nothing else', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head, '-o', 'json']);
      assert.equal(r.code, 1, r.stderr);
      const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>[]>;
      assert.deepEqual(Object.keys(out), ['declared', 'undeclared']);
      assert.deepEqual(Object.keys(out.declared![0]!), [
        'namespace',
        'test',
        'flow',
        'expected',
        'before',
        'after',
        'breaks',
        'fixes',
        'reasons',
      ]);
      assert.deepEqual(Object.keys(out.undeclared![0]!), [
        'from',
        'to',
        'port',
        'protocol',
        'before',
        'after',
      ]);
      assert.equal(out.declared!.filter((c) => c.breaks === true).length, 2);
    });

    it('-o markdown gives a pull-request comment that leads with the headline', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head, '-o', 'markdown']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^### flowprobe diff\n\n\*\*2 declared flows break, 0 fixed/);
      assert.match(r.stdout, /<summary>Undeclared paths closed \(2\)<\/summary>/);
    });

    it('-o html writes one self-contained page with the breaking flows', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head, '-o', 'html']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /^<!doctype html>/i);
      assert.match(r.stdout, /Content-Security-Policy/);
      for (const flow of ['frontend-to-api-service', 'api-to-postgres'])
        assert.match(r.stdout, new RegExp(flow));
      assert.doesNotMatch(r.stdout, /<script|https?:\/\//);
    });

    it('--max-undeclared bounds the list and says how many more changed', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head, '--max-undeclared', '1']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /… and 1 more closed paths \(raise --max-undeclared to list them\)/);
      const json = await runCli([
        'diff',
        '--base',
        trees.base,
        '--head',
        trees.head,
        '-o',
        'json',
        '--max-undeclared',
        '1',
      ]);
      assert.equal((JSON.parse(json.stdout) as { undeclared: unknown[] }).undeclared.length, 1);
      assert.match(json.stderr, /note: 1 more undeclared paths? changed/);
    });
  });

  it('a head that adds the first ConnectivityTest lists its flows as Absent before, exit 0', async () => {
    const base = join(trees.root, 'no-tests');
    mkdirSync(base);
    writeFileSync(join(base, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n');
    const r = await runCli(['diff', '--base', base, '--head', `${fixtures}/agree`, '-o', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { declared: { before: string }[] };
    assert.ok(out.declared.length > 0 && out.declared.every((c) => c.before === 'Absent'));
  });

  it("reads ClusterConnectivityTests as explain does: each namespace's instance can break", async () => {
    // Without the platform's Admin deny of link-local, nothing stops a tenant probe reaching the metadata
    // address: platform/tenants-no-metadata, expanded into billing and shop, breaks in both.
    trees.removeDocument('head', 'platform/20-cluster-policies.yaml', 'name: deny-metadata');
    const r = await runCli(['diff', '--base', trees.base, '--head', trees.head, '-o', 'json']);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { declared: { namespace: string; test: string; breaks: boolean }[] };
    const tenants = out.declared.filter((c) => c.test === 'tenants-no-metadata');
    assert.deepEqual(
      tenants.map((c) => [c.namespace, c.breaks]),
      [
        ['billing', true],
        ['shop', true],
      ],
    );
  });

  describe("bad input exits 2 with explain's wording", () => {
    it('a file that cannot be read', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', join(trees.root, 'missing')]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^error: .*missing/m);
      assert.equal(r.stdout, '');
    });

    it('an invalid ConnectivityTest, with its field paths', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', `${fixtures}/invalid`]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /invalid\/test\.yaml \(document 1\): ConnectivityTest shop\/broken is invalid:/);
      assert.match(r.stderr, /spec\.flows\[0\]\.port: /);
    });

    it('no ConnectivityTest on either side', async () => {
      const dir = join(trees.root, 'empty');
      mkdirSync(dir);
      writeFileSync(join(dir, 'ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: { name: shop }\n');
      const r = await runCli(['diff', '--base', dir, '--head', dir]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^error: .*: no ConnectivityTest found on either side \(2 objects read\)$/m);
    });

    it('a ConnectivityTest declared twice on one side', async () => {
      writeFileSync(
        join(trees.head, 'production', '31-copy.yaml'),
        'apiVersion: flowprobe.dev/v1alpha1\nkind: ConnectivityTest\nmetadata: { name: api-baseline, namespace: production }\nspec: { flows: [] }\n',
      );
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /ConnectivityTest production\/api-baseline is declared twice/);
    });

    it('an unknown output format', async () => {
      const r = await runCli(['diff', '--base', trees.base, '--head', trees.head, '-o', 'yaml']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--output must be one of table, json, markdown, html, not "yaml"/);
    });
  });
});

// ParsedFiles (src/manifest/parsed-files.ts): a file content read again is not parsed again, but each read
// is still named by its own file and held to its own object budget, as parseDocuments would.
import { strict as assert } from 'node:assert';
import { ManifestError } from '../../src/manifest/manifest-error.js';
import { ParsedFiles } from '../../src/manifest/parsed-files.js';

const TWO =
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';

describe('parsing file contents once for several reads', () => {
  it('the same content under another name gives the same objects, named by the new file', () => {
    const parsed = new ParsedFiles();
    const first = parsed.parse('base/a.yaml', TWO, 10);
    const again = parsed.parse('head/a.yaml', TWO, 10);
    assert.deepEqual(
      again.map((o) => [o.file, o.index]),
      [
        ['head/a.yaml', 0],
        ['head/a.yaml', 1],
      ],
    );
    assert.deepEqual(
      again.map((o) => o.object),
      first.map((o) => o.object),
    );
    assert.ok(again.every((o, i) => o.object === first[i]?.object));
  });

  it('another content, or the same bytes read as JSON, is parsed on its own', () => {
    const parsed = new ParsedFiles();
    const yaml = parsed.parse('a.yaml', '{"apiVersion": "v1", "kind": "Namespace"}', 10);
    const json = parsed.parse('a.json', '{"apiVersion": "v1", "kind": "Namespace"}', 10);
    assert.notEqual(json[0]?.object, yaml[0]?.object);
    const other = parsed.parse('b.yaml', TWO.replace('name: s', 'name: t'), 10);
    assert.equal(other[1]?.object.metadata?.name, 't');
  });

  it('a content read before still fails past the budget, naming the file and document that went over', () => {
    const parsed = new ParsedFiles();
    parsed.parse('base/a.yaml', TWO, 10);
    assert.throws(
      () => parsed.parse('head/a.yaml', TWO, 1),
      (e: unknown) => e instanceof ManifestError && e.file === 'head/a.yaml' && e.document === 1,
    );
  });

  it('a content that failed to parse fails again under its new name', () => {
    const parsed = new ParsedFiles();
    const bad = 'apiVersion: v1\nkind: [unclosed\n';
    assert.throws(() => parsed.parse('base/x.yaml', bad, 10), /^ManifestError: base\/x\.yaml/);
    assert.throws(
      () => parsed.parse('head/x.yaml', bad, 10),
      (e: unknown) => e instanceof ManifestError && e.message.startsWith('head/x.yaml'),
    );
  });
});

import { strict as assert } from 'node:assert';
import { ManifestError } from '../../src/manifest/manifest-error.js';
import { parseDocuments } from '../../src/manifest/parse-documents.js';

const NS = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n';

describe('parsing the documents of one manifest file', () => {
  const cases: { name: string; file: string; text: string; kinds: string[]; indexes: number[] }[] = [
    { name: 'reads one YAML document', file: 'a.yaml', text: NS, kinds: ['Namespace'], indexes: [0] },
    {
      name: 'reads every document of a multi-document YAML file, keeping each one’s index',
      file: 'a.yaml',
      text: `${NS}---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n`,
      kinds: ['Namespace', 'Service'],
      indexes: [0, 1],
    },
    {
      name: 'skips empty and comment-only documents without shifting the others’ indexes',
      file: 'a.yaml',
      text: `---\n# nothing here\n---\n${NS}---\n`,
      kinds: ['Namespace'],
      indexes: [1],
    },
    { name: 'reads nothing from an empty file', file: 'a.yaml', text: '', kinds: [], indexes: [] },
    {
      name: 'reads a JSON file',
      file: 'a.json',
      text: '{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}}',
      kinds: ['ConfigMap'],
      indexes: [0],
    },
    {
      name: 'flattens a v1 List, as kubectl get -o yaml prints it',
      file: 'a.yaml',
      text: 'apiVersion: v1\nkind: List\nitems:\n- {apiVersion: v1, kind: Pod}\n- {apiVersion: v1, kind: Service}\n',
      kinds: ['Pod', 'Service'],
      indexes: [0, 0],
    },
    {
      name: 'flattens a typed list, giving its items the kind the list implies',
      file: 'a.json',
      text: '{"apiVersion": "v1", "kind": "PodList", "items": [{"metadata": {"name": "p"}}]}',
      kinds: ['Pod'],
      indexes: [0],
    },
    {
      name: 'keeps a kind that merely ends in List when it has no items list',
      file: 'a.yaml',
      text: 'apiVersion: example.com/v1\nkind: AllowList\nspec: {}\n',
      kinds: ['AllowList'],
      indexes: [0],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const objects = parseDocuments(c.file, c.text);
      assert.deepEqual(
        objects.map((o) => o.object.kind),
        c.kinds,
      );
      assert.deepEqual(
        objects.map((o) => o.index),
        c.indexes,
      );
      assert.ok(objects.every((o) => o.file === c.file));
    });
  }

  it('gives typed-list items the list’s apiVersion', () => {
    const [pod] = parseDocuments('a.yaml', 'apiVersion: v1\nkind: PodList\nitems: [{metadata: {name: p}}]\n');
    assert.ok(pod);
    assert.equal(pod.object.apiVersion, 'v1');
    assert.equal(pod.object.metadata?.name, 'p');
  });

  const failures: { name: string; file: string; text: string; message: RegExp; document?: number }[] = [
    {
      name: 'invalid YAML',
      file: 'bad.yaml',
      text: 'metadata: {name: x\n',
      message: /^bad\.yaml \(document 1\): invalid YAML/,
      document: 0,
    },
    {
      name: 'invalid YAML in a later document',
      file: 'bad.yaml',
      text: `${NS}---\nkind: [\n`,
      message: /\(document 2\): invalid YAML/,
      document: 1,
    },
    { name: 'invalid JSON', file: 'bad.json', text: '{"kind": ', message: /^bad\.json: invalid JSON/ },
    {
      name: 'a document without kind',
      file: 'a.yaml',
      text: 'apiVersion: v1\nmetadata: {name: x}\n',
      message: /\(document 1\): kind is missing/,
      document: 0,
    },
    {
      name: 'a document without apiVersion',
      file: 'a.yaml',
      text: `${NS}---\nkind: Pod\n`,
      message: /\(document 2\): apiVersion is missing/,
      document: 1,
    },
    {
      name: 'a document that is a plain string',
      file: 'a.yaml',
      text: 'hello\n',
      message: /expected a Kubernetes object \(a mapping\), got a string/,
      document: 0,
    },
    {
      name: 'a document that is a sequence',
      file: 'a.yaml',
      text: '- a\n- b\n',
      message: /got a sequence/,
      document: 0,
    },
    {
      name: 'a List item without kind',
      file: 'a.yaml',
      text: 'apiVersion: v1\nkind: List\nitems: [{apiVersion: v1}]\n',
      message: /kind is missing/,
      document: 0,
    },
    {
      name: 'duplicate keys',
      file: 'a.yaml',
      text: 'apiVersion: v1\nkind: Pod\nkind: Service\n',
      message: /invalid YAML/,
      document: 0,
    },
  ];
  for (const f of failures) {
    it(`refuses ${f.name}, naming the file and document`, () => {
      assert.throws(
        () => parseDocuments(f.file, f.text),
        (error: unknown) => {
          assert.ok(error instanceof ManifestError);
          assert.match(error.message, f.message);
          assert.equal(error.file, f.file);
          assert.equal(error.document, f.document);
          return true;
        },
      );
    });
  }

  it('keeps the parser’s error as the cause, with its line', () => {
    try {
      parseDocuments('bad.yaml', 'a: 1\nb: [\n');
      assert.fail('expected a ManifestError');
    } catch (error) {
      assert.ok(error instanceof ManifestError);
      assert.ok(error.cause instanceof Error);
      assert.match(error.message, /line \d+/);
    }
  });
});

import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadManifests, ManifestError } from '../../src/manifest/load.js';

const doc = (kind: string, name: string): string =>
  `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;

describe('loading manifests from files and directories', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-load-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function write(files: Record<string, string>): Promise<void> {
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
  }
  const names = (objects: { object: { metadata?: { name?: string } } }[]): (string | undefined)[] =>
    objects.map((o) => o.object.metadata?.name);

  it('walks a directory recursively in sorted order, reading only YAML and JSON files', async () => {
    await write({
      'b.yaml': doc('Pod', 'b'),
      'a.yml': doc('Pod', 'a'),
      'sub/c.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'c' } }),
      'README.md': '# not a manifest',
      'notes.txt': 'kind: nothing',
      'Z.YAML': doc('Pod', 'z-upper'),
    });
    const objects = await loadManifests([dir]);
    assert.deepEqual(names(objects), ['z-upper', 'a', 'b', 'c']);
    assert.equal(objects[3]?.file, join(dir, 'sub', 'c.json'));
  });

  it('keeps the order of the paths given, and reads a file named explicitly whatever its extension', async () => {
    await write({ 'x.yaml': doc('Pod', 'x'), 'y.txt': doc('Pod', 'y') });
    const objects = await loadManifests([join(dir, 'y.txt'), join(dir, 'x.yaml')]);
    assert.deepEqual(names(objects), ['y', 'x']);
  });

  it('reads a file reached twice only once', async () => {
    await write({ 'x.yaml': doc('Pod', 'x') });
    const objects = await loadManifests([dir, join(dir, 'x.yaml')]);
    assert.deepEqual(names(objects), ['x']);
  });

  it('does not loop on a symbolic link to a parent directory', async () => {
    await write({ 'sub/x.yaml': doc('Pod', 'x') });
    await symlink(dir, join(dir, 'sub', 'loop'));
    const objects = await loadManifests([dir]);
    assert.deepEqual(names(objects), ['x']);
  });

  it('returns every document of a multi-document file with its file and index', async () => {
    await write({ 'all.yaml': `${doc('Namespace', 'n')}---\n---\n${doc('Service', 's')}` });
    const objects = await loadManifests([join(dir, 'all.yaml')]);
    assert.deepEqual(
      objects.map((o) => [o.file, o.index, o.object.kind]),
      [
        [join(dir, 'all.yaml'), 0, 'Namespace'],
        [join(dir, 'all.yaml'), 2, 'Service'],
      ],
    );
  });

  it('returns nothing for an empty directory', async () => {
    assert.deepEqual(await loadManifests([dir]), []);
  });

  const failures: { name: string; files: Record<string, string>; path: string; message: RegExp }[] = [
    {
      name: 'a path that does not exist',
      files: {},
      path: 'missing.yaml',
      message: /missing\.yaml: cannot read: ENOENT/,
    },
    {
      name: 'a file that does not parse',
      files: { 'bad.yaml': 'a: [\n' },
      path: '.',
      message: /bad\.yaml \(document 1\): invalid YAML/,
    },
    {
      name: 'a document without kind',
      files: { 'ok.yaml': doc('Pod', 'p'), 'sub/nokind.yaml': 'apiVersion: v1\n' },
      path: '.',
      message: /nokind\.yaml \(document 1\): kind is missing/,
    },
  ];
  for (const f of failures) {
    it(`throws a ManifestError naming the file for ${f.name}`, async () => {
      await write(f.files);
      await assert.rejects(loadManifests([join(dir, f.path)]), (error: unknown) => {
        assert.ok(error instanceof ManifestError);
        assert.match(error.message, f.message);
        assert.ok(error.file.startsWith(dir));
        return true;
      });
    });
  }
});

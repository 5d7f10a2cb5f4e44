// What the image relies on, checked without a Docker engine: it runs the bundle of scripts/bundle.ts, which
// holds only what src/ imports (so every package src/ imports must be a production dependency), and that
// bundle must behave like the sources.
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../../scripts/bundle.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** `import x from 'pkg/sub'` and `import type` excluded (erased at build): the package names src/ loads. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/^import (?!type )[^'"]*['"]([^'"./][^'"]*)['"]/gm)].map((m) => m[1] ?? '');
  return found
    .filter((spec) => !spec.startsWith('node:'))
    .map((spec) =>
      spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec),
    );
}

/** Runs `node args...` from the repository and resolves with its exit code and stdout. */
function run(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: root, maxBuffer: 16 * 2 ** 20 }, (err, stdout) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout });
    });
  });
}

describe('the operator image', () => {
  let dir: string;
  let file: string;

  before(async function () {
    this.timeout(60_000);
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-bundle-test-'));
    file = join(dir, 'flowprobe.mjs');
    await bundle(file);
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('needs only production dependencies at run time', () => {
    const missing = sources(join(root, 'src')).flatMap((file) =>
      runtimeImports(file)
        .filter((name) => !(name in pkg.dependencies))
        .map((name) => `${file.slice(root.length)} imports ${name}`),
    );
    assert.deepEqual(missing, []);
  });

  it('starts the bundle, as a non-root user', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /^RUN npm run bundle$/m);
    assert.match(dockerfile, /ENTRYPOINT \["\/nodejs\/bin\/node", "flowprobe\.mjs"\]/);
    assert.match(dockerfile, /^USER 65532:65532$/m);
  });

  it('ships the licence of every package it bundles', () => {
    const notices = readFileSync(`${file}.licenses.txt`, 'utf8');
    for (const name of ['@kubernetes/client-node', 'prom-client', 'winston', 'yaml', 'ajv', 'commander'])
      assert.match(notices, new RegExp(`^${name.replace('/', '\\/')}@\\d`, 'm'), name);
  });

  it('explains the examples exactly as the sources do', async function () {
    this.timeout(60_000);
    const args = ['explain', '-f', 'examples/', '-o', 'json'];
    const [bundled, sources] = await Promise.all([
      run([file, ...args]),
      run(['--import', 'tsx', 'src/cli/main.ts', ...args]),
    ]);
    assert.equal(bundled.code, 1, 'the examples hold deliberate mistakes: explain exits 1');
    assert.equal(bundled.code, sources.code);
    assert.ok(bundled.stdout.length > 100, bundled.stdout);
    assert.equal(bundled.stdout, sources.stdout);
  });
});

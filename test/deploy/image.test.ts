// What the image relies on, checked without a Docker engine: the runtime stage has production dependencies
// only, so every package src/ imports must be a production dependency, and the build must emit the CLI
// the image starts.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
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

describe('the operator image', () => {
  it('needs only production dependencies at run time', () => {
    const missing = sources(join(root, 'src')).flatMap((file) =>
      runtimeImports(file)
        .filter((name) => !(name in pkg.dependencies))
        .map((name) => `${file.slice(root.length)} imports ${name}`),
    );
    assert.deepEqual(missing, []);
  });

  it('starts the CLI the build emits', () => {
    assert.equal(pkg.bin.flowprobe, 'dist/src/cli/main.js');
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    assert.match(dockerfile, /ENTRYPOINT \["\/nodejs\/bin\/node", "dist\/src\/cli\/main\.js"\]/);
    assert.match(dockerfile, /^USER 65532:65532$/m);
  });
});

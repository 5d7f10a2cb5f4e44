// The operator image runs one bundled, minified file instead of dist/ plus node_modules (npm run bundle).
// Why: as installed, @kubernetes/client-node loads thousands of modules (every generated model); esbuild
// keeps only the code the CLI reaches. Measured idle, with the Deployment's env: 107 MB RSS and 20 MB of
// heap bundled, 132 MB and 39 MB from dist/. bench/operator.bench.ts builds and measures this same file,
// so its figures are the image's. The licences of every bundled package are
// collected next to it, since the image no longer ships node_modules with their LICENSE files.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE = join(ROOT, 'dist', 'flowprobe.mjs');

/** Builds the CLI into `outfile` and its licence notices into `outfile` + `.licenses.txt`. */
export async function bundle(outfile: string = BUNDLE): Promise<{ bytes: number; packages: number }> {
  const result = await build({
    entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    minify: true,
    // Class and function names survive, so error names and stack traces stay readable.
    keepNames: true,
    metafile: true,
    logLevel: 'warning',
    // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
    banner: {
      js: "import { createRequire as __flowprobeRequire } from 'node:module';\nconst require = __flowprobeRequire(import.meta.url);",
    },
  });
  const packages = bundledPackages(Object.keys(result.metafile.inputs));
  writeFileSync(`${outfile}.licenses.txt`, licenseNotices(packages));
  const output = result.metafile.outputs[relative(process.cwd(), outfile)];
  return { bytes: output?.bytes ?? 0, packages: packages.length };
}

/** The package directories (under node_modules) that contributed a file to the bundle. */
function bundledPackages(inputs: string[]): string[] {
  const dirs = new Set<string>();
  for (const input of inputs) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match?.[1]) dirs.add(match[1]);
  }
  return [...dirs].sort();
}

function licenseNotices(packageDirs: string[]): string {
  return packageDirs
    .map((dir) => {
      const abs = join(process.cwd(), dir);
      const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8')) as {
        name: string;
        version: string;
        license?: string;
      };
      const file = readdirSync(abs).find((f) => /^(licen[cs]e|copying)/i.test(f));
      const text = file
        ? readFileSync(join(abs, file), 'utf8').trim()
        : `License: ${pkg.license ?? 'unknown'}`;
      return `${pkg.name}@${pkg.version}\n\n${text}\n`;
    })
    .join(`\n${'-'.repeat(72)}\n\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { bytes, packages } = await bundle();
  console.log(
    `wrote ${relative(ROOT, BUNDLE)}: ${(bytes / 2 ** 20).toFixed(1)} MiB, ${packages} packages' licences`,
  );
}

// Two bundles of the CLI, both built by esbuild from src/cli/main.ts, minified, with only the code the CLI
// reaches (as installed, @kubernetes/client-node alone loads thousands of modules: every generated model).
//
// - The operator image runs one file (`npm run bundle`, dist/flowprobe.mjs). Measured idle, with the
//   Deployment's env: 107 MB RSS and 20 MB of heap bundled, 132 MB and 39 MB from tsc's output.
//   bench/operator.bench.ts builds and measures this same file, so its figures are the image's. The licences
//   of every bundled package are collected next to it, since the image ships no node_modules.
// - The published bin (`npm run build`, dist/cli/flowprobe.mjs) is split: one small entry, and a chunk per
//   command that its action imports when it runs, so `flowprobe --help` or `validate` never reads the
//   Kubernetes client, prom-client or winston. One file would cost every command the parsing of all 2 MB
//   (~0.4 s); tsc's output, the loading of ~150 files one by one (bench/startup.bench.ts has the figures).
//   The npm package ships no node_modules of what it bundles, so their licences go along in
//   THIRD_PARTY_LICENSES.txt.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const BUNDLE = join(ROOT, 'dist', 'flowprobe.mjs');
/** The published bin (package.json `bin`) and its chunks. */
export const CLI_DIR = join(ROOT, 'dist', 'cli');

const COMMON = {
  entryPoints: [join(ROOT, 'src', 'cli', 'main.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  // Class and function names survive, so error names and stack traces stay readable.
  keepNames: true,
  metafile: true as const,
  logLevel: 'warning' as const,
  // Bundled CommonJS packages call require() for Node's built-ins; an ES module has none of its own.
  banner: {
    js: "import { createRequire as __flowprobeRequire } from 'node:module';\nconst require = __flowprobeRequire(import.meta.url);",
  },
} satisfies BuildOptions;

/**
 * Builds the published bin into `outdir`: `flowprobe.mjs`, `chunks/` and `THIRD_PARTY_LICENSES.txt`. Returns esbuild's metafile, which
 * says which packages each output file holds.
 */
export async function bundleCli(outdir: string = CLI_DIR): Promise<Metafile> {
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    ...COMMON,
    outdir,
    splitting: true,
    entryNames: 'flowprobe',
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
  });
  const packages = bundledPackages(Object.keys(result.metafile.inputs));
  writeFileSync(join(outdir, 'THIRD_PARTY_LICENSES.txt'), licenseNotices(packages));
  return result.metafile;
}

/** Builds the CLI into `outfile` and its licence notices into `outfile` + `.licenses.txt`. */
export async function bundle(outfile: string = BUNDLE): Promise<{ bytes: number; packages: number }> {
  const result = await build({ ...COMMON, outfile });
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
  if (process.argv[2] === 'cli') {
    const { outputs } = await bundleCli();
    const bytes = Object.values(outputs).reduce((sum, o) => sum + o.bytes, 0);
    console.log(
      `wrote ${relative(ROOT, CLI_DIR)}/: ${(bytes / 2 ** 20).toFixed(1)} MiB in ${Object.keys(outputs).length} files`,
    );
  } else {
    const { bytes, packages } = await bundle();
    console.log(
      `wrote ${relative(ROOT, BUNDLE)}: ${(bytes / 2 ** 20).toFixed(1)} MiB, ${packages} packages' licences`,
    );
  }
}

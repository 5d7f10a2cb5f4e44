// What the published bin (package.json `bin`: scripts/bundle.ts `bundleCli`) loads for each command. Every
// command pays for what it loads before it can print a word, and the Kubernetes client, prom-client and
// winston (the operator's and `run`'s) were most of the 0.9 s `flowprobe --help` took. A resolve hook in the
// child (node:module registerHooks) records every file node loads; esbuild's metafile says which packages
// each of the bundle's files holds.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Metafile } from 'esbuild';
import { bundleCli } from '../../scripts/bundle.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const HEAVY = ['@kubernetes/client-node', 'prom-client', 'winston'];

/** Records the URL of every module the process resolves, written to $TRACE_OUT when it exits. */
const TRACE_HOOK = `
import { registerHooks } from 'node:module';
import { writeFileSync } from 'node:fs';
const seen = new Set();
registerHooks({
  resolve(specifier, context, nextResolve) {
    const r = nextResolve(specifier, context);
    seen.add(r.url);
    return r;
  },
});
process.on('exit', () => writeFileSync(process.env.TRACE_OUT, [...seen].join('\\n')));
`;

describe('the published bin loads only what the command needs', function () {
  this.timeout(60_000);
  let dir: string;
  let bin: string;
  /** Absolute path of each file of the bundle → the packages bundled into it. */
  let packagesOf: Map<string, Set<string>>;

  before(async function () {
    this.timeout(120_000);
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-imports-'));
    writeFileSync(join(dir, 'trace.mjs'), TRACE_HOOK);
    packagesOf = filePackages(await bundleCli(join(dir, 'cli')));
    bin = join(dir, 'cli', 'flowprobe.mjs');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the bin with `args`; the packages of every bundle file it loaded, and its exit code. */
  function loaded(args: string[]): { packages: string[]; code: number | null; stderr: string } {
    const out = join(dir, 'trace.txt');
    const env = { ...process.env, NODE_OPTIONS: '', TRACE_OUT: out, NODE_DISABLE_COMPILE_CACHE: '1' };
    const r = spawnSync(process.execPath, ['--import', join(dir, 'trace.mjs'), bin, ...args], {
      cwd: REPO,
      env,
      encoding: 'utf8',
    });
    const files = readFileSync(out, 'utf8')
      .split('\n')
      .filter((u) => u.startsWith('file:'))
      .map((u) => fileURLToPath(u));
    const packages = new Set(files.flatMap((f) => [...(packagesOf.get(f) ?? [])]));
    return { packages: [...packages].sort(), code: r.status, stderr: r.stderr };
  }

  const heavyIn = (packages: string[]) => packages.filter((p) => HEAVY.includes(p));

  const commands: [string, string[], number][] = [
    ['--help', ['--help'], 0],
    ['validate on one file', ['validate', '-f', 'examples/production/30-connectivity-test.yaml'], 0],
    // The examples hold three deliberate contradictions: explain exits 1.
    ['explain on the examples', ['explain', '-f', 'examples/'], 1],
    ['diff of the examples with themselves', ['diff', '--base', 'examples/', '--head', 'examples/'], 0],
    // Runs the probe command's action, which stops at once: there is no busybox at that path.
    ['probe', ['probe', 'tcp://127.0.0.1:9', '--busybox', '/nonexistent/busybox'], 2],
  ];
  for (const [name, args, exitCode] of commands) {
    it(`${name}: no Kubernetes client, prom-client or winston`, () => {
      const r = loaded(args);
      assert.equal(r.code, exitCode, r.stderr);
      assert.deepEqual(heavyIn(r.packages), []);
    });
  }

  // The npm package ships dist/cli (package.json `files`) with third-party code bundled into it, and no
  // node_modules of those packages: their licences (MIT, Apache-2.0) require the notices to travel along.
  it('ships the licence of every package it bundles, in dist/cli/THIRD_PARTY_LICENSES.txt', () => {
    const notices = readFileSync(join(dir, 'cli', 'THIRD_PARTY_LICENSES.txt'), 'utf8');
    const bundled = new Set([...packagesOf.values()].flatMap((p) => [...p]));
    assert.ok(bundled.has('@kubernetes/client-node') && bundled.has('commander'), [...bundled].join(' '));
    for (const name of bundled)
      assert.match(notices, new RegExp(`^${name.replace(/[/.]/g, '\\$&')}@\\d`, 'm'), name);
  });

  it('--help loads no package but commander', () => {
    assert.deepEqual(loaded(['--help']).packages, ['commander']);
  });

  it('sees them where a command needs them: `run` loads the Kubernetes client', () => {
    const r = loaded(['run', '-f', 'examples/production/', '--kubeconfig', join(dir, 'no-such-kubeconfig')]);
    assert.equal(r.code, 2, r.stderr);
    assert.ok(heavyIn(r.packages).includes('@kubernetes/client-node'), r.packages.join(', '));
  });
});

/** Each output file of the bundle (absolute path) → the npm packages its inputs came from. */
function filePackages(metafile: Metafile): Map<string, Set<string>> {
  const map = new Map<string, Set<string>>();
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const names = Object.keys(inputs).flatMap((input) => {
      const all = [...input.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)];
      const last = all.at(-1)?.[1];
      return last === undefined ? [] : [last];
    });
    map.set(resolve(output), new Set(names));
  }
  return map;
}

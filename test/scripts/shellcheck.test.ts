/**
 * Every shell script of the repository (scripts/ and e2e/, sourced libraries included) passes shellcheck.
 * Run from the repository root with -x, so `source scripts/lib/node.sh` is followed as the scripts do it.
 * A file without a shebang is a library sourced by bash scripts and is checked as bash. Skipped with a
 * message where shellcheck is absent, unless FLOWPROBE_REQUIRE_SHELLCHECK=1 (scripts/test.sh as root).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIRS = ['scripts', 'e2e'];

function shellScripts(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && (e.name.endsWith('.sh') || isBashCommand(join(e.parentPath, e.name))))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)))
    .sort();
}

/** A command without an extension (scripts/flowprobe) that is a bash script. */
function isBashCommand(path: string): boolean {
  return !/\.[a-z]+$/i.test(path) && readFileSync(path, 'utf8').startsWith('#!/usr/bin/env bash');
}

function hasShebang(file: string): boolean {
  return readFileSync(join(ROOT, file), 'utf8').startsWith('#!');
}

function shellcheckAvailable(): boolean {
  return spawnSync('shellcheck', ['--version'], { stdio: 'ignore' }).status === 0;
}

describe('shell scripts', function () {
  const scripts = DIRS.flatMap(shellScripts);

  before(function () {
    if (shellcheckAvailable()) return;
    if (process.env.FLOWPROBE_REQUIRE_SHELLCHECK === '1') {
      assert.fail('shellcheck is not on PATH (FLOWPROBE_REQUIRE_SHELLCHECK=1)');
    }
    console.log('      skipped: shellcheck is not on PATH (apt-get install shellcheck)');
    this.skip();
  });

  it('include the e2e setup and teardown and the test script', () => {
    for (const file of ['scripts/test.sh', 'e2e/setup.sh', 'e2e/teardown.sh']) {
      assert.ok(scripts.includes(file), `${file} in ${scripts.join(', ')}`);
    }
  });

  for (const file of scripts) {
    it(`${file} passes shellcheck`, () => {
      const shell = hasShebang(file) ? [] : ['--shell=bash'];
      const result = spawnSync('shellcheck', ['-x', ...shell, file], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    });
  }
});

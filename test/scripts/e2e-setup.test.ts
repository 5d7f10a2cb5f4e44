/**
 * e2e/setup.sh's image loading, run for real with FAKE docker, kind and kubectl first on PATH
 * (test/support/fake-kind-tools: they record their arguments; no container, cluster or network is touched).
 * The fakes fail the way Docker 29's containerd image store makes kind fail for a pulled multi-platform
 * image ("content digest ... not found", kubernetes-sigs/kind#3795, #3996; antrea-io/antrea#7792), and
 * reject `docker save --platform` the way Docker before 28 (API 1.48) does.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FAKES = fileURLToPath(new URL('../support/fake-kind-tools/', import.meta.url));
const PROBE_IMAGE = 'busybox:1.37.0';

interface SetupRun {
  code: number | null;
  stderr: string;
  /** What the fakes were asked, one command per line, plus `archive …` for each archive kind loaded. */
  calls: string[];
}

function runSetup(env: Record<string, string>): SetupRun {
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-setup-'));
  try {
    const log = join(dir, 'calls.log');
    const result = spawnSync('bash', ['e2e/setup.sh', 'kindnet'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: {
        ...process.env,
        PATH: `${FAKES}:${process.env.PATH ?? ''}`,
        FAKE_TOOLS_LOG: log,
        FAKE_TOOLS_STATE: dir,
        FLOWPROBE_E2E_CLUSTER: 'flowprobe-e2e',
        ...env,
      },
    });
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    return { code: result.status, stderr: result.stderr, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const loads = (run: SetupRun) =>
  run.calls.filter((c) => c.startsWith('kind load') || c.startsWith('archive'));

describe('e2e/setup.sh loading images into kind (FAKE docker and kind)', () => {
  it("loads a pulled multi-platform image on Docker 29's containerd image store: one platform, as an archive", () => {
    const run = runSetup({ FAKE_DOCKER: '29' });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(run.calls.includes(`docker pull ${PROBE_IMAGE}`), run.calls.join('\n'));
    assert.deepEqual(
      loads(run).map((c) => c.replace(/ \S+\/image\.tar /, ' ARCHIVE ')),
      [
        'kind load image-archive ARCHIVE --name flowprobe-e2e',
        'archive image=flowprobe:e2e platform=linux/amd64',
        'kind load image-archive ARCHIVE --name flowprobe-e2e',
        `archive image=${PROBE_IMAGE} platform=linux/amd64`,
      ],
    );
  });

  it('falls back to a whole save where docker does not know --platform (before Docker 28)', () => {
    const run = runSetup({ FAKE_DOCKER: '27' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      loads(run).filter((c) => c.startsWith('archive')),
      ['archive image=flowprobe:e2e platform=all', `archive image=${PROBE_IMAGE} platform=all`],
    );
    assert.match(run.stderr, /this docker cannot save one platform; saving busybox:1\.37\.0 whole/);
  });

  it('falls back to a whole save where the daemon is older than API 1.48', () => {
    const run = runSetup({ FAKE_DOCKER: 'old-api' });
    assert.equal(run.code, 0, run.stderr);
    assert.ok(loads(run).includes(`archive image=${PROBE_IMAGE} platform=all`), run.calls.join('\n'));
  });

  it('stops on any other save failure, with docker’s message, before loading that image', () => {
    const run = runSetup({ FAKE_DOCKER: '29', FAKE_DOCKER_MISSING: PROBE_IMAGE });
    assert.notEqual(run.code, 0);
    assert.match(run.stderr, /reference does not exist/);
    assert.ok(!loads(run).some((c) => c.includes(PROBE_IMAGE)), run.calls.join('\n'));
    assert.ok(
      !run.calls.some((c) => c.startsWith('kubectl apply')),
      'nothing is installed after the failure',
    );
  });
});

/**
 * `npm run e2e:dual` (scripts/test.sh) runs the dual-stack scenario on the FAKE local cluster. Where the
 * FAKE cannot run pods for real (here: a busybox that does not exist), the scenario skips and says why,
 * unless FLOWPROBE_REQUIRE_NETNS=1 (CI as root), where the missing prerequisite must fail the run as it
 * fails the unit layers: a skipped scenario exits 0 and CI would never notice that it never ran.
 * Runs the npm script itself in a child process (it stops before any cluster starts: a few seconds).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function e2eDual(requireNetns: boolean) {
  const env: NodeJS.ProcessEnv = { ...process.env, FLOWPROBE_BUSYBOX: '/nonexistent/busybox' };
  delete env.FLOWPROBE_E2E_KUBECONFIG;
  delete env.KUBECONFIG;
  if (requireNetns) env.FLOWPROBE_REQUIRE_NETNS = '1';
  else delete env.FLOWPROBE_REQUIRE_NETNS;
  const run = spawnSync('npm', ['run', '--silent', 'e2e:dual'], { cwd: ROOT, env, encoding: 'utf8' });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('npm run e2e:dual without the FAKE cluster prerequisites', function () {
  this.timeout(60_000);

  it('fails with MissingPrerequisitesError when FLOWPROBE_REQUIRE_NETNS=1', () => {
    const run = e2eDual(true);
    assert.notEqual(run.status, 0, run.output);
    assert.match(run.output, /MissingPrerequisitesError: .*nonexistent\/busybox/);
  });

  it('skips, saying what is missing, otherwise', () => {
    const run = e2eDual(false);
    assert.equal(run.status, 0, run.output);
    assert.match(
      run.output,
      /skipped: the FAKE local cluster cannot run pods here: missing .*nonexistent\/busybox/,
    );
  });
});

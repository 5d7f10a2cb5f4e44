/**
 * scripts/dev-cluster.ts as a developer runs it: it starts the FAKE cluster, writes a kubeconfig that the
 * machine's kubectl uses, and cleans up on SIGINT. Skipped with the reason where kubectl or openssl is absent.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LineWatcher } from '../support/netlab/line-watcher.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/dev-cluster.ts', import.meta.url));
const run = promisify(execFile);

function available(binary: string, args: string[]): boolean {
  try {
    execFileSync(binary, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('scripts/dev-cluster.ts', function () {
  this.timeout(60_000);
  let dir: string | undefined;
  let child: ChildProcess | undefined;

  before(function () {
    const missing = [
      ['kubectl', ['version', '--client']],
      ['openssl', ['version']],
    ].filter(([bin, args]) => !available(bin as string, args as string[]));
    if (missing.length > 0) {
      console.log(`      skipped: ${missing.map(([b]) => b).join(' and ')} not found on PATH`);
      this.skip();
    }
    dir = mkdtempSync(join(tmpdir(), 'dev-cluster-test-'));
  });

  after(() => {
    if (child !== undefined && child.exitCode === null) child.kill('SIGKILL');
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it('starts a cluster kubectl lists namespaces of as the admin (a ServiceAccount without RBAC is refused), and cleans up on SIGINT', async () => {
    assert.ok(dir !== undefined);
    const kubeconfig = join(dir, 'kubeconfig');
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        SCRIPT,
        '--kubeconfig',
        kubeconfig,
        '--cni',
        'enforcing',
        '--service-account',
        'default/tester',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const out = new LineWatcher(child.stdout!);
    await out.waitFor(/^ready; Ctrl-C to stop$/, 30_000);
    const runId =
      /FAKE cluster (\S+) listening/.exec(await out.waitFor(/listening on https:/, 1000))?.[1] ?? '';
    const env = { ...process.env, HOME: dir };
    const ns = await run(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'ns', '-o', 'name'],
      { env },
    );
    assert.deepEqual(ns.stdout.trim().split('\n').sort(), [
      'namespace/default',
      'namespace/kube-node-lease',
      'namespace/kube-public',
      'namespace/kube-system',
    ]);
    const crd = await run(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache'), 'get', 'crd', '-o', 'name'],
      { env },
    );
    assert.match(crd.stdout, /connectivitytests\.flowprobe\.dev/);
    const asTester = await run(
      'kubectl',
      [
        '--kubeconfig',
        kubeconfig,
        '--cache-dir',
        join(dir, 'cache'),
        '--context',
        'fake-sa-default-tester',
        'get',
        'pods',
      ],
      { env },
    ).then(
      () => 'allowed',
      (err: unknown) => String((err as { stderr?: string }).stderr),
    );
    assert.match(asTester, /User "system:serviceaccount:default:tester" cannot list resource "pods"/);
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    await out.waitFor(/stopped and cleaned up/, 1000);
    if (process.getuid?.() === 0) {
      const left = (await run('ip', ['netns', 'list'])).stdout
        .split('\n')
        .filter((l) => l.startsWith(`${runId}-`));
      assert.deepEqual(left, [], 'network namespaces left behind');
    }
  });
});

/**
 * scripts/dev-cluster.ts as a developer runs it: it starts the FAKE cluster, writes a kubeconfig that the
 * machine's kubectl uses, and cleans up on SIGINT. Skipped with the reason where kubectl or openssl is absent.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LineWatcher } from '../support/netlab/line-watcher.js';
import { missingKubectlTools } from '../support/tool-available.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/dev-cluster.ts', import.meta.url));
const run = promisify(execFile);

/** Workloads with a TCP and a UDP port each: each a network namespace and a process of its own. */
const WORKLOADS = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 8
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: web, image: web, ports: [{containerPort: 8080}, {containerPort: 9090, protocol: UDP}]}
`;

/** The network namespaces of a FAKE cluster run, and the processes inside them. */
async function runNetns(runId: string): Promise<{ netns: string[]; pids: number[] }> {
  const netns = (await run('ip', ['netns', 'list'])).stdout
    .split('\n')
    .map((l) => l.split(' ')[0] ?? '')
    .filter((n) => n.startsWith(`${runId}-`));
  const pids = await Promise.all(netns.map(async (n) => (await run('ip', ['netns', 'pids', n])).stdout));
  return {
    netns,
    pids: pids.flatMap((p) =>
      p
        .split('\n')
        .filter((l) => l !== '')
        .map(Number),
    ),
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
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
    const missing = missingKubectlTools();
    if (missing.length > 0) {
      console.log(`      skipped: ${missing.join(' and ')} not found on PATH`);
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

  // A terminal's Ctrl-C sends SIGINT to the whole foreground process group (POSIX General Terminal
  // Interface, 11.1.9): npm, the node running the script, and every child that shares the group. The
  // command must not return before the clean-up is done.
  it('npm run dev-cluster, stopped by Ctrl-C to its process group, returns only once it has cleaned up', async function () {
    if (process.getuid?.() !== 0) {
      console.log('      skipped: needs root for network namespaces');
      this.skip();
    }
    assert.ok(dir !== undefined);
    const kubeconfig = join(dir, 'kubeconfig-npm');
    const env = { ...process.env, HOME: dir, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };
    child = spawn('npm', ['run', '--silent', 'dev-cluster', '--', '--kubeconfig', kubeconfig], {
      cwd: fileURLToPath(new URL('../../', import.meta.url)),
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = new LineWatcher(child.stdout!);
    await out.waitFor(/^ready; Ctrl-C to stop$/, 30_000);
    const runId =
      /FAKE cluster (\S+) listening/.exec(await out.waitFor(/listening on https:/, 1000))?.[1] ?? '';
    const workloads = join(dir, 'workloads.yaml');
    writeFileSync(workloads, WORKLOADS);
    const kubectl = ['--kubeconfig', kubeconfig, '--cache-dir', join(dir, 'cache')];
    await run('kubectl', [...kubectl, 'apply', '-f', workloads], { env });
    // Ctrl-C while the workloads are still starting: the cluster is busiest then, and half-made sandboxes
    // must go too.
    let before = await runNetns(runId);
    for (let tries = 0; before.pids.length < 4 && tries < 300; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      before = await runNetns(runId);
    }
    assert.ok(before.pids.length >= 4, JSON.stringify(before));
    const exited = new Promise<void>((resolve) =>
      child!.once('exit', () => {
        resolve();
      }),
    );
    process.kill(-child.pid!, 'SIGINT');
    // And again, as an impatient user does: the clean-up must still finish.
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGINT');
    await exited;
    const after = await runNetns(runId);
    const resolverFiles = readdirSync('/etc/netns').filter((n) => n.startsWith(`${runId}-`));
    assert.deepEqual(
      { netns: after.netns, resolverFiles, processes: before.pids.filter(alive) },
      { netns: [], resolverFiles: [], processes: [] },
      'left behind when npm run dev-cluster returned',
    );
    assert.equal(existsSync(kubeconfig), true);
  });
});

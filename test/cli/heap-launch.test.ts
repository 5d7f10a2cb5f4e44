// The operator's entry point sizes its own heap: the image's bundle (what the Dockerfile's ENTRYPOINT runs)
// started as `operator` against the FAKE API server, with a memory limit where Kubernetes puts it — the
// downward API variable of deploy/deployment.yaml, or a real cgroup — and the V8 heap limit read back from
// its own /metrics (flowprobe_heap_limit_bytes, v8.getHeapStatistics().heap_size_limit).
//
// Node alone would not do it: it sizes V8's heap from min(physical memory, cgroup limit) but never below
// ~256 MB of old space (measured on Node 24 under 128, 256 and 512 MiB cgroups: 259 MiB each), more than the
// shipped 256Mi container holds, and it never reads the downward API.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bundle } from '../../scripts/bundle.js';
import { FakeApiServer } from '../support/fake-apiserver/index.js';
import type { KubeObject } from '../support/fake-apiserver/types.js';
import { PodCgroup } from '../support/netlab/pod-cgroup.js';

const MiB = 2 ** 20;
const CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;
/** V8's young generation with 1 MiB semi-spaces: heap_size_limit is the old-space cap plus this. */
const YOUNG_MIB = 3;

describe('the operator entry point, under a memory limit', function () {
  this.timeout(90_000);
  let server: FakeApiServer;
  let dir: string;
  let entry: string;
  let kubeconfig: string;

  before(async function () {
    this.timeout(120_000);
    server = await FakeApiServer.start({ objects: [CRD] });
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-heap-'));
    entry = join(dir, 'flowprobe.mjs');
    kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, server.kubeconfig());
    await bundle(entry);
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Starts `operator` (behind `prefix`, if any), reads its heap limit from /metrics, then stops it with
   * SIGTERM: `exit` is how it ended.
   */
  async function heapLimitMiB(
    env: NodeJS.ProcessEnv,
    prefix: string[] = [],
  ): Promise<{ limit: number; exit: Promise<number | null>; stderr: string }> {
    const args = ['operator', '--kubeconfig', kubeconfig, '--no-leader-elect'];
    args.push('--metrics-addr', '127.0.0.1:0', '--log-level', 'info');
    const argv = [...prefix, process.execPath, entry, ...args];
    const child = spawn(argv[0] ?? '', argv.slice(1), { env: { ...cleanEnv(), ...env } });
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const { url: metrics, stderr } = await metricsUrl(child);
      const text = await (await fetch(`${metrics}/metrics`)).text();
      const limit = /^flowprobe_heap_limit_bytes (\d+)$/m.exec(text)?.[1];
      assert.ok(limit, 'flowprobe_heap_limit_bytes is exported');
      return { limit: Number(limit) / MiB, exit, stderr };
    } finally {
      child.kill('SIGTERM');
    }
  }

  it("caps the heap at 0.75 × the downward API's limit − 64 MiB, and still stops on SIGTERM", async () => {
    const { limit, exit } = await heapLimitMiB({ FLOWPROBE_MEMORY_LIMIT: String(256 * MiB) });
    assert.equal(limit, 128 + YOUNG_MIB);
    // Node replaced itself in the same process: the signal reaches the operator, which stops cleanly.
    assert.equal(await exit, 0);
  });

  // The operator logs JSON lines (log collectors parse them). process.execve is experimental on Node 24
  // (doc/api/process.md, Stability 1), and an ExperimentalWarning written by either node would be a line
  // of plain text among them.
  it('writes only JSON lines to stderr while it relaunches itself and starts', async () => {
    const { limit, stderr, exit } = await heapLimitMiB({ FLOWPROBE_MEMORY_LIMIT: String(256 * MiB) });
    assert.equal(limit, 128 + YOUNG_MIB, 'it did relaunch itself');
    const lines = stderr.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 0);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line) as unknown, line);
    await exit;
  });

  it('gives a tiny limit the floor of 32 MiB', async () => {
    const { limit, exit } = await heapLimitMiB({ FLOWPROBE_MEMORY_LIMIT: String(64 * MiB) });
    assert.equal(limit, 32 + YOUNG_MIB);
    await exit;
  });

  it("lets the user's NODE_OPTIONS cap win over the computed one", async () => {
    const { limit, exit } = await heapLimitMiB({
      FLOWPROBE_MEMORY_LIMIT: String(256 * MiB),
      NODE_OPTIONS: '--max-old-space-size=100',
    });
    assert.equal(limit, plainNodeHeapLimitMiB(['--max-old-space-size=100']));
    await exit;
  });

  it('sizes the heap from the memory limit of its cgroup (cgroup v2 memory.max or v1 limit_in_bytes)', async function () {
    const busybox = process.env.FLOWPROBE_BUSYBOX;
    const made = busybox
      ? PodCgroup.create(`flowprobe-heap-test-${process.pid}`, { memoryBytes: 384 * MiB })
      : 'FLOWPROBE_BUSYBOX is not set (its sh moves the operator into the cgroup)';
    if (typeof made === 'string') {
      const reason = `the cgroup heap test: no cgroup (${made})`;
      if (process.env.FLOWPROBE_REQUIRE_NETNS === '1')
        throw new Error(`${reason} (FLOWPROBE_REQUIRE_NETNS=1)`);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    try {
      // 384 × 0.75 − 64 = 224 MiB of old space; node alone would take ~256 MiB (see the top of this file).
      const { limit, exit } = await heapLimitMiB({}, made.prefix(busybox ?? ''));
      assert.equal(limit, 224 + YOUNG_MIB);
      await exit;
    } finally {
      await made.remove();
    }
  });
});

/** This process's env without what would size the child's heap for it (mocha's NODE_OPTIONS, tsx's). */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  delete env.FLOWPROBE_MEMORY_LIMIT;
  delete env.MALLOC_ARENA_MAX;
  return env;
}

/** The heap limit plain node gets with these flags on this machine. */
function plainNodeHeapLimitMiB(flags: string[]): number {
  const script = 'console.log(require("node:v8").getHeapStatistics().heap_size_limit)';
  const r = spawnSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8', env: cleanEnv() });
  return Number(r.stdout.trim()) / MiB;
}

/** The metrics URL from the "operator started" log line and stderr up to it, or why it never came. */
function metricsUrl(child: ChildProcessWithoutNullStreams): Promise<{ url: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    let stderr = '';
    const timer = setTimeout(() => {
      reject(new Error(`no "operator started" within 60 s:\n${stderr}`));
    }, 60_000);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const url = /"message":"operator started","metrics":"([^"]+)"/.exec(stderr)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ url, stderr: stderr.slice(0, stderr.lastIndexOf('\n') + 1) });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`operator exited (${code ?? signal}) before it started:\n${stderr}`));
    });
  });
}

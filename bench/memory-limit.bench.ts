// `npm run bench -- memory-limit` (issue 13): does the self-sized heap keep the operator inside its container? The
// image's bundle runs as `operator` (against the FAKE API server, idle) inside a cgroup with a memory limit,
// as the kubelet would run it, with a preload that keeps allocating live objects (a cache that never stops
// growing) until the process dies. Dying by V8's heap limit ("JavaScript heap out of memory", SIGABRT) is
// the self-sized heap doing its job: a message, and the limit never reached. Dying by the kernel's OOM
// killer (SIGKILL, no word in the logs) means the heap was allowed to outgrow the container. For
// comparison, each limit also runs with the old space node gives itself there (nodeOwnOldSpaceMiB). Needs root, a
// writable cgroup and FLOWPROBE_BUSYBOX (its sh enters the cgroup). Prints figures, asserts none.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bundle } from '../scripts/bundle.js';
import { FakeApiServer } from '../test/support/fake-apiserver/index.js';
import type { KubeObject } from '../test/support/fake-apiserver/types.js';
import { PodCgroup } from '../test/support/netlab/pod-cgroup.js';

const MiB = 2 ** 20;
const LIMITS_MIB = (process.env.FLOWPROBE_BENCH_LIMITS ?? '128,256,512,1024').split(',').map(Number);
/** ~4 MB of small live objects every 20 ms: full within seconds, in steps a GC can still follow. */
const BALLAST = `
const hold = [];
setInterval(() => {
  for (let i = 0; i < 20000; i++) hold.push({ name: 'pod-' + hold.length, labels: { app: 'a' + i }, ip: [10, 0, i & 255, 1] });
}, 20);
`;

export default async function bench(): Promise<void> {
  const busybox = process.env.FLOWPROBE_BUSYBOX;
  if (busybox === undefined) {
    console.log('heap: skipped (FLOWPROBE_BUSYBOX is not set)');
    return;
  }
  const probe = PodCgroup.create(`flowprobe-bench-heap-${process.pid}`, {});
  if (typeof probe === 'string') {
    console.log(`heap: skipped (${probe})`);
    return;
  }
  await probe.remove();
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-bench-heap-'));
  const crd = parse(
    readFileSync(new URL('../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
  ) as KubeObject;
  const server = await FakeApiServer.start({ objects: [crd] });
  try {
    const entry = join(dir, 'flowprobe.mjs');
    await bundle(entry);
    writeFileSync(join(dir, 'ballast.mjs'), BALLAST);
    writeFileSync(join(dir, 'kubeconfig'), server.kubeconfig());
    console.log('heap: the operator in a cgroup, its heap filled until it dies');
    for (const limit of LIMITS_MIB) {
      const nodeOwn = nodeOwnOldSpaceMiB(limit);
      for (const [label, nodeOptions] of [
        ['self-sized', ''],
        [`node's own (${nodeOwn} MiB)`, `--max-old-space-size=${nodeOwn}`],
      ] as const) {
        const r = await fillUntilDeath(dir, busybox, limit, nodeOptions);
        console.log(`  ${`${limit}Mi`.padEnd(7)} ${label.padEnd(22)} ${r}`);
      }
    }
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The old space node gives itself under a cgroup limit, as measured on Node 24 (heap_size_limit minus the
 * young generation): its floor of 256 MiB up to 512 MiB, then half the limit (1 GiB → 512, 2 GiB → 1,024).
 */
function nodeOwnOldSpaceMiB(limitMiB: number): number {
  return Math.max(256, limitMiB / 2);
}

async function fillUntilDeath(
  dir: string,
  busybox: string,
  limitMiB: number,
  nodeOptions: string,
): Promise<string> {
  const cgroup = PodCgroup.create(`flowprobe-bench-heap-${process.pid}`, { memoryBytes: limitMiB * MiB });
  if (typeof cgroup === 'string') return `no cgroup: ${cgroup}`;
  try {
    const argv = [
      ...cgroup.prefix(busybox),
      process.execPath,
      ...['--import', join(dir, 'ballast.mjs'), join(dir, 'flowprobe.mjs'), 'operator'],
      ...['--kubeconfig', join(dir, 'kubeconfig'), '--no-leader-elect', '--metrics-addr', '127.0.0.1:0'],
      ...['--log-level', 'error'],
    ];
    // The downward API variable, as the Deployment sets it; NODE_OPTIONS with a cap overrides it.
    const env = { ...process.env, NODE_OPTIONS: nodeOptions, FLOWPROBE_MEMORY_LIMIT: String(limitMiB * MiB) };
    const started = performance.now();
    const child = spawn(argv[0] ?? '', argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const signal = await new Promise<string>((resolve) =>
      child.once('exit', (code, sig) => {
        resolve(sig ?? `exit ${code}`);
      }),
    );
    const f = cgroup.figures();
    const heapLimit = /Reached heap limit|heap out of memory/.test(stderr)
      ? 'V8 heap limit'
      : 'no heap message';
    return (
      `${signal.padEnd(8)} after ${((performance.now() - started) / 1000).toFixed(1).padStart(4)} s: ` +
      `${heapLimit}, OOM kills ${f.oomKills}, peak ${f.peakMemoryMiB.toFixed(0)} MiB of ${limitMiB}`
    );
  } finally {
    await cgroup.remove();
  }
}

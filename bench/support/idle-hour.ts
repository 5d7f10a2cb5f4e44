// An hour of an idle operator (no ConnectivityTests, leader election on, as the Deployment runs it) against
// the FAKE cluster with kube-apiserver's periods: a BOOKMARK a minute, watches ended at their
// timeoutSeconds, history compacted every 5 minutes while node leases keep the resourceVersion moving. The
// hour passes in a time lapse (test/support/time-lapse.ts): here for the FAKE cluster, and in the operator
// child through a preload that speeds its setTimeout/setInterval up by the same factor. The figures are the
// requests the counting proxy saw in the lapsed hour, by verb and resource; nothing is extrapolated.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FakeCluster } from '../../test/support/fake-cluster/index.js';
import { TimeLapse } from '../../test/support/time-lapse.js';
import { CountingProxy } from './counting-proxy.js';
import { OperatorChild } from './operator-child.js';

const HOUR_MS = 60 * 60_000;
/**
 * An hour in 30 s. Real I/O does not speed up, so a timeout of the operator's is reached sooner by a slow
 * answer: its 30 s request timeout becomes 250 ms, which this machine's loopback answers well within.
 */
export const IDLE_SPEEDUP = 120;
/** How often a node lease is renewed in the FAKE cluster (kubelet: every 10 s), moving the resourceVersion. */
const NODE_LEASE_RENEW_MS = 10_000;

/** The same time lapse as TimeLapse, for the operator child: plain JavaScript, loaded with --import. */
const PRELOAD = `
const speedup = ${IDLE_SPEEDUP};
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
globalThis.setTimeout = (fn, ms, ...args) => realSetTimeout(fn, (ms ?? 0) / speedup, ...args);
globalThis.setInterval = (fn, ms, ...args) => realSetInterval(fn, (ms ?? 0) / speedup, ...args);
`;

export interface IdleFigures {
  /** Requests in the lapsed hour after the caches had synced, by "verb resource". */
  byRequest: [string, number][];
  total: number;
  startupRequests: number;
  stderr: string[];
}

export interface IdleRun {
  entry: string | undefined;
  env: Record<string, string>;
}

export async function idleHour(run: IdleRun): Promise<IdleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-bench-idle-'));
  const preload = join(dir, 'time-lapse.mjs');
  writeFileSync(preload, PRELOAD);
  const lapse = TimeLapse.start(IDLE_SPEEDUP);
  let cluster: FakeCluster | undefined;
  let proxy: CountingProxy | undefined;
  let operator: OperatorChild | undefined;
  let churn: NodeJS.Timeout | undefined;
  try {
    cluster = await FakeCluster.start({
      cni: 'none',
      crds: true,
      pods: 'declared',
      outcomes: {},
      announce: false,
      handleSignals: false,
      apiServer: { namespaces: ['default', 'kube-system', 'kube-node-lease', 'flowprobe'] },
    });
    const server = cluster.server;
    proxy = await CountingProxy.start(server.url);
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, server.kubeconfig().replace(server.url, proxy.url));
    operator = await OperatorChild.start({
      kubeconfig,
      maxConcurrentRuns: 1,
      workers: 1,
      leaderElect: true,
      nodeArgs: ['--import', pathToFileURL(preload).href],
      ...run,
    });
    const startupRequests = proxy.records.length;
    let renewals = 0;
    churn = setInterval(() => {
      const metadata = { name: `node-lease-${renewals++}`, namespace: 'kube-node-lease' };
      void server.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
    }, NODE_LEASE_RENEW_MS);
    await lapse.sleep(HOUR_MS);
    const window = proxy.records.slice(startupRequests);
    const counts = new Map<string, number>();
    for (const r of window)
      counts.set(`${r.verb} ${r.resource}`, (counts.get(`${r.verb} ${r.resource}`) ?? 0) + 1);
    return {
      byRequest: [...counts].sort((a, b) => b[1] - a[1]),
      total: window.length,
      startupRequests,
      stderr: operator.stderr,
    };
  } finally {
    if (churn) clearInterval(churn);
    lapse.stop();
    await operator?.stop();
    await proxy?.stop();
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

// The scale benchmark's FAKE cluster, run as a child process of its own (`scale-server-child.ts` starts
// it) so that the operator's memory and CPU figures are its own. It holds the generated cluster in a
// FakeApiServer, runs a FAKE kubelet for flowprobe's probe pods only (the generated pods are data: bound
// to other nodes, already Running; probe pods answer from the declared outcome table, no network), and
// puts a counting proxy in front of the server for the operator. The parent drives it over IPC.
import { readFileSync } from 'node:fs';
import { KubeConfig } from '../../test/support/fake-cluster/kube-client.js';
import { parse } from 'yaml';
import type { ConnectivityTest } from '../../src/api/types.js';
import { RUN_ID_LABEL } from '../../src/plan/labels.js';
import { FakeApiServer, type KubeObject } from '../../test/support/fake-apiserver/index.js';
import { FakeKubelet } from '../../test/support/fake-cluster/index.js';
import { TableRuntime } from '../../test/support/fake-cluster/table-runtime.js';
import { TimeLapse } from '../../test/support/time-lapse.js';
import { CountingProxy } from './counting-proxy.js';
import type { ScaleSize } from './scale-args.js';
import { scaleOutcomes, scaleTest } from './scale-cluster.js';
import { populate } from './scale-population.js';
import type { ScaleReply, ScaleRequest } from './scale-server-protocol.js';

const CRD = new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url);
/** Where the operator's Lease lives, as deploy/ installs it. */
const OPERATOR_NAMESPACE = 'flowprobe';

async function main(): Promise<void> {
  const size = JSON.parse(process.env.FLOWPROBE_BENCH_SCALE_SIZE ?? '') as ScaleSize;
  const server = await FakeApiServer.start({
    namespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease', OPERATOR_NAMESPACE],
    objects: [parse(readFileSync(CRD, 'utf8')) as KubeObject],
  });
  const population = await populate(server, size);
  const outcomes = scaleOutcomes(size);
  const kc = new KubeConfig();
  kc.loadFromString(server.kubeconfig());
  const kubelet = await FakeKubelet.start({
    kc,
    runtime: new TableRuntime(() => outcomes, true),
    setPodLog: (ns, pod, container, text) => {
      server.setPodLog(ns, pod, container, text);
    },
    labelSelector: RUN_ID_LABEL,
  });
  const proxy = await CountingProxy.start(server.url);
  const state: State = { server, kubelet, proxy, size, lapse: undefined, tests: [] };
  process.on('message', (message: ScaleRequest) => {
    void handle(state, message).then(
      (reply) => process.send?.(reply),
      (err: unknown) => process.send?.({ type: 'error', message: String((err as Error).stack ?? err) }),
    );
  });
  const kubeconfig = server.kubeconfig().replace(server.url, proxy.url);
  process.send?.({ type: 'ready', kubeconfig, population, heapUsedMb: heapMb() } satisfies ScaleReply);
}

interface State {
  server: FakeApiServer;
  kubelet: FakeKubelet;
  proxy: CountingProxy;
  size: ScaleSize;
  lapse: TimeLapse | undefined;
  tests: ConnectivityTest[];
}

function heapMb(): number {
  return process.memoryUsage().heapUsed / 2 ** 20;
}

async function handle(state: State, message: ScaleRequest): Promise<ScaleReply> {
  switch (message.type) {
    case 'create-tests': {
      const t0 = performance.now();
      for (let t = state.tests.length; t < message.count; t++) {
        const test = scaleTest(state.size, t);
        await state.server.create({ ...test });
        state.tests.push(test);
      }
      return { type: 'created', ms: performance.now() - t0 };
    }
    case 'tests-done':
      return { type: 'tests-done', done: testsDone(state) };
    case 'requests':
      return { type: 'requests', records: state.proxy.records.slice(message.from) };
    case 'request-count':
      return { type: 'request-count', count: state.proxy.records.length };
    case 'lapse':
      // Watches opened before the lapse keep their real timers (timeoutSeconds on this side, inactivity on
      // the operator's); ending them once makes the operator reopen them under the lapse, from its
      // resourceVersion, as after a server's watch timeout.
      state.lapse = TimeLapse.start(message.speedup);
      state.server.closeWatches();
      return { type: 'ok' };
    case 'stop':
      state.lapse?.stop();
      await state.kubelet.stop();
      await state.proxy.stop();
      await state.server.stop();
      setImmediate(() => process.exit(0));
      return { type: 'ok' };
  }
}

/** Tests with a status for their generation and a result per flow. */
function testsDone(state: State): number {
  let done = 0;
  for (const test of state.tests) {
    const { apiVersion, kind } = test;
    const current = state.server.get(
      apiVersion,
      kind,
      test.metadata.namespace ?? '',
      test.metadata.name ?? '',
    ) as ConnectivityTest | undefined;
    if (
      current?.status?.observedGeneration === 1 &&
      current.status.results?.length === test.spec.flows.length
    )
      done++;
  }
  return done;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

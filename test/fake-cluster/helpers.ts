/**
 * Shared steps of the FAKE cluster's tests: pods and policies created through the real
 * @kubernetes/client-node, and waits on observable pod states (polled, with a timeout; never a sleep
 * that a result depends on).
 */
import assert from 'node:assert/strict';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import * as k8s from '../support/fake-cluster/kube-client.js';
import { parseProbeLog } from '../../src/probe/parse-log.js';
import { probeCommand } from '../../src/probe/command.js';
import { formatTarget } from '../../src/probe/args.js';
import { settleOptions } from '../../src/probe/settle.js';
import type { ProbeResult, ProbeSpec } from '../../src/probe/types.js';

export { k8s };

export async function waitForPod(
  core: k8s.CoreV1Api,
  namespace: string,
  name: string,
  what: string,
  check: (pod: k8s.V1Pod) => boolean,
  timeoutMs = 20_000,
): Promise<k8s.V1Pod> {
  const deadline = Date.now() + timeoutMs;
  let last: k8s.V1Pod | undefined;
  for (;;) {
    last = await core.readNamespacedPod({ namespace, name });
    if (check(last)) return last;
    if (Date.now() > deadline) {
      assert.fail(`pod ${namespace}/${name} never became ${what}; status: ${JSON.stringify(last.status)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function condition(pod: k8s.V1Pod, type: string): k8s.V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

export const isRunning = (pod: k8s.V1Pod): boolean => pod.status?.phase === 'Running';
export const isReadyPod = (pod: k8s.V1Pod): boolean => condition(pod, 'Ready')?.status === 'True';
export const isDone = (pod: k8s.V1Pod): boolean =>
  pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

export function workloadPod(
  name: string,
  labels: Record<string, string>,
  extra: Partial<k8s.V1PodSpec> = {},
): k8s.V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example/web:1',
          ports: [
            { name: 'http', containerPort: 8080, protocol: 'TCP' },
            { name: 'echo', containerPort: 9000, protocol: 'UDP' },
          ],
        },
      ],
      ...extra,
    },
  };
}

export function commandPod(
  name: string,
  labels: Record<string, string>,
  command: string[],
  extra: Partial<k8s.V1PodSpec> = {},
): k8s.V1Pod {
  return {
    metadata: { name, labels },
    spec: {
      restartPolicy: 'Never',
      containers: [
        { name: 'probe', image: 'busybox:1.36', command, terminationMessagePolicy: 'FallbackToLogsOnError' },
      ],
      ...extra,
    },
  };
}

/** Creates a ready workload pod `web` (app=web) and returns its IP. */
export async function startWeb(core: k8s.CoreV1Api, namespace: string, name = 'web'): Promise<string> {
  await core.createNamespacedPod({ namespace, body: workloadPod(name, { app: name }) });
  const pod = await waitForPod(core, namespace, name, 'Ready', isReadyPod);
  return pod.status?.podIP ?? '';
}

/** Runs a real probe pod (the command src/probe builds) to the end and parses its log. */
export async function probeFrom(
  cluster: FakeCluster,
  namespace: string,
  name: string,
  labels: Record<string, string>,
  specs: ProbeSpec[],
): Promise<ProbeResult[]> {
  const core = cluster.core();
  const command = probeCommand(specs, settleOptions(2));
  await core.createNamespacedPod({
    namespace,
    body: commandPod(name, labels, command, { activeDeadlineSeconds: 60 }),
  });
  await waitForPod(core, namespace, name, 'Succeeded or Failed', isDone, 60_000);
  const log = await core.readNamespacedPodLog({ namespace, name, container: 'probe' });
  return parseProbeLog(log, specs.map(formatTarget));
}

export async function createNamespace(cluster: FakeCluster, name: string): Promise<void> {
  await cluster.core().createNamespace({ body: { metadata: { name } } });
}

export async function createPolicy(
  cluster: FakeCluster,
  namespace: string,
  policy: k8s.V1NetworkPolicy,
): Promise<void> {
  const net = cluster.kubeConfig().makeApiClient(k8s.NetworkingV1Api);
  await net.createNamespacedNetworkPolicy({ namespace, body: policy });
}

/** How a test names the attempts: `Connected, Blocked, Blocked`. */
export function attemptOutcomes(r: ProbeResult): string {
  return r.attempts.map((a) => a.outcome).join(', ');
}

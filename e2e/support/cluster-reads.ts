// What the suite reads back from the cluster: pod readiness, and a ConnectivityTest's status once the
// operator has finished a run of its current generation.
import { AppsV1Api, CoreV1Api, CustomObjectsApi, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import type { ConnectivityTest } from '../../src/api/types.js';
import { GROUP, PLURAL, VERSION } from '../../src/api/types.js';
import { pollUntil } from './poll.js';

const isReady = (pod: V1Pod): boolean =>
  pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Waits until every pod the selector matches in the namespace is Ready (and there is at least one). */
export async function waitForReadyPods(
  kc: KubeConfig,
  namespace: string,
  labelSelector: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const core = kc.makeApiClient(CoreV1Api);
  await pollUntil(
    `ready pods in ${namespace}${labelSelector ? ` (${labelSelector})` : ''}`,
    async () =>
      (await core.listNamespacedPod({ namespace, ...(labelSelector ? { labelSelector } : {}) })).items,
    (pods) => pods.length > 0 && pods.every(isReady),
    timeoutMs,
  ).catch((err: unknown) => {
    throw err instanceof Error ? new Error(err.message.slice(0, 2000)) : err;
  });
}

export function readTest(kc: KubeConfig, namespace: string, name: string): Promise<ConnectivityTest> {
  const custom = kc.makeApiClient(CustomObjectsApi);
  return custom.getNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: PLURAL,
    name,
  }) as Promise<ConnectivityTest>;
}

/** A run of the current generation is complete: observedGeneration caught up, Ready, one result per flow. */
export function runComplete(test: ConnectivityTest): boolean {
  const status = test.status;
  const ready = status?.conditions?.find((c) => c.type === 'Ready');
  return (
    status?.observedGeneration === test.metadata.generation &&
    ready?.status === 'True' &&
    status?.results?.length === test.spec.flows.length
  );
}

export function waitForRun(
  kc: KubeConfig,
  namespace: string,
  name: string,
  timeoutMs: number,
): Promise<ConnectivityTest> {
  return pollUntil(
    `a completed run of ${namespace}/${name}`,
    () => readTest(kc, namespace, name),
    runComplete,
    timeoutMs,
  );
}

/** Whether the API server serves an apps/v1 resource (discovery), e.g. `deployments`. */
export async function servesAppsResource(kc: KubeConfig, plural: string): Promise<boolean> {
  const list = await kc.makeApiClient(AppsV1Api).getAPIResources();
  return list.resources.some((r) => r.name === plural);
}

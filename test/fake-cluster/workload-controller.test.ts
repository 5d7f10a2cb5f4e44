/**
 * The FAKE workload controller (test/support/fake-cluster) against the FAKE API server: it runs the pods of
 * plain Deployments, and none for a paused Deployment, as the real Deployment controller creates no
 * ReplicaSet for a paused Deployment that has none (kubernetes pkg/controller/deployment/
 * deployment_controller.go syncDeployment → sync.go sync → getAllReplicaSetsAndSyncRevision(ctx, d,
 * rsList, false)). `flowprobe run`'s owner (src/plan/run-owner.ts) is such a Deployment: it must never
 * get a pod of its own.
 */
import assert from 'node:assert/strict';
import { runOwnerDeployment } from '../../src/plan/run-owner.js';
import { FakeApiServer } from '../support/fake-apiserver/index.js';
import { FakeWorkloadController } from '../support/fake-cluster/index.js';
import { k8s } from './helpers.js';

const NS = 'shop';

function deployment(name: string, replicas: number, paused: boolean): k8s.V1Deployment {
  const labels = { app: name };
  return {
    metadata: { name },
    spec: {
      replicas,
      paused,
      selector: { matchLabels: labels },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: 'web:1' }] } },
    },
  };
}

describe('FakeWorkloadController and Deployments', function () {
  this.timeout(30_000);
  let server: FakeApiServer | undefined;
  let controller: FakeWorkloadController | undefined;
  let apps: k8s.AppsV1Api;
  let core: k8s.CoreV1Api;

  before(async () => {
    server = await FakeApiServer.start({ namespaces: ['default', 'kube-system', NS] });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig());
    apps = kc.makeApiClient(k8s.AppsV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
    controller = new FakeWorkloadController(kc);
    await controller.start();
  });

  after(async () => {
    await controller?.stop();
    await server?.stop();
  });

  it("creates no pod for a paused Deployment (one replica, or flowprobe run's paused owner with none)", async () => {
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('paused', 1, true) });
    const owner = runOwnerDeployment({
      namespace: NS,
      runId: 'run-0123abcd',
      image: 'busybox:1.37.0',
      expiresAt: new Date().toISOString(),
    });
    await apps.createNamespacedDeployment({ namespace: NS, body: owner as unknown as k8s.V1Deployment });
    // Created last, handled last (one watch, events in order): once its pod exists, the others were seen.
    await apps.createNamespacedDeployment({ namespace: NS, body: deployment('web', 1, false) });
    const pods = await podNamesOnceWebRuns();
    assert.deepEqual(pods, ['web-0']);
    assert.deepEqual(controller!.errors, []);
  });

  async function podNamesOnceWebRuns(): Promise<string[]> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const list = await core.listNamespacedPod({ namespace: NS });
      const names = list.items.map((p) => p.metadata?.name ?? '').sort();
      if (names.includes('web-0')) return names;
      if (Date.now() > deadline)
        assert.fail(`the Deployment web never got its pod; pods: ${names.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
});

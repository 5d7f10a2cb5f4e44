/**
 * Events about a cluster-scoped ClusterConnectivityTest, written through the operator's gateway to the FAKE
 * API server, which validates Events as kube-apiserver does: one whose regarding object has no namespace
 * is accepted only in `default` or `kube-system` (pkg/apis/core/validation/events.go, legacyValidateEvent;
 * test/support/fake-apiserver/event-validation.ts). client-go's recorders put it in `default`
 * (tools/events/event_recorder.go and tools/record/event.go, makeEvent), where `kubectl describe` looks.
 */
import { strict as assert } from 'node:assert';
import { EventRecorder } from '../../src/controller/event-recorder.js';
import { KubeCluster } from '../../src/kube/index.js';
import { FakeApiServer } from '../support/fake-apiserver/index.js';
import * as k8s from '../support/fake-apiserver/kube-client.js';

describe('events about a cluster-scoped object', () => {
  let server: FakeApiServer;
  let cluster: KubeCluster;
  const errors: unknown[] = [];

  before(async () => {
    server = await FakeApiServer.start();
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig());
    cluster = new KubeCluster(kc, { kinds: [] });
  });
  after(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  it('land in the default namespace, regarding the object without a namespace, and continue their series', async () => {
    const recorder = new EventRecorder(cluster, 'operator-0', { onError: (e) => errors.push(e.cause) });
    const regarding = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ClusterConnectivityTest',
      namespace: '',
      name: 'tenants',
      uid: 'u-cluster',
    };
    const intent = {
      type: 'Warning' as const,
      reason: 'DriftDetected' as const,
      note: 'tenant-a/no-metadata',
    };
    await recorder.record(regarding, intent);
    await recorder.record(regarding, intent);
    assert.deepEqual(errors, []);
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig());
    const { items } = await kc.makeApiClient(k8s.EventsV1Api).listNamespacedEvent({ namespace: 'default' });
    assert.equal(items.length, 1);
    const [event] = items;
    assert.deepEqual(
      [event?.regarding?.kind, event?.regarding?.name, event?.regarding?.namespace, event?.series?.count],
      ['ClusterConnectivityTest', 'tenants', undefined, 2],
    );
  });
});

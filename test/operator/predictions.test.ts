// Predictions from the cluster state the probes met, in the local FAKE cluster (see harness.ts for what
// is real and what is fake). `kubectl apply -f dir/` creates files in name order, so a test often exists
// before its policies; its status must not keep predicting from a cluster without them.
import { strict as assert } from 'node:assert';
import type { ConnectivityTestStatus } from '../../src/api/types.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import {
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  eventually,
  flow,
  k8s,
  readTest,
  seedNamespace,
  statusFor,
  useFakeCluster,
} from './harness.js';

type WatchedObject = k8s.V1Pod & { status?: ConnectivityTestStatus & k8s.V1PodStatus };

/** Calls `onEvent` for every watch event on `path` until stopped. */
async function watchPath(
  cluster: FakeCluster,
  path: string,
  onEvent: (type: string, obj: WatchedObject) => void,
): Promise<() => void> {
  const req = await new k8s.Watch(cluster.kubeConfig()).watch(path, {}, onEvent, () => undefined);
  return () => {
    req.abort();
  };
}

describe('predictions in a local FAKE cluster with an enforcing CNI', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator-a']);
  let cluster: FakeCluster;
  before(() => {
    cluster = env.cluster;
  });

  it('predicts from the policies that exist when the results are read, not when the run started', async () => {
    const { net } = clients(cluster);
    await seedNamespace(cluster, 'late', []);
    let policy: Promise<unknown> | undefined;
    const stopPods = await watchPath(cluster, '/api/v1/namespaces/late/pods', (type, pod) => {
      // The hook between probe pod creation and result reading: the policy arrives while the probe runs.
      if (type === 'ADDED' && pod.metadata?.labels?.['flowprobe.dev/run-id'] && !policy)
        policy = net.createNamespacedNetworkPolicy({ namespace: 'late', body: denyIngressToWeb });
    });
    const written: ConnectivityTestStatus[] = [];
    const stopTests = await watchPath(
      cluster,
      '/apis/flowprobe.dev/v1alpha1/namespaces/late/connectivitytests',
      (_type, obj) => {
        if (obj.status?.results) written.push(obj.status);
      },
    );
    try {
      await createTest(
        cluster,
        connectivityTest('late', 'before-policy', [flow('other-to-web', 'other', 'Denied')]),
      );
      await statusFor(cluster, 'late', 'before-policy');
      await eventually(() => Promise.resolve(written.length > 0), 'the run status on the watch');
    } finally {
      stopPods();
      stopTests();
    }
    assert.ok(policy, 'the policy was created while the probe ran');
    await policy;
    const [r] = written[0]?.results ?? [];
    assert.equal(r?.predicted, 'Denied', r?.diagnosis);
    assert.doesNotMatch(r.diagnosis, /no policy/);
  });

  it('follows a NetworkPolicy created or deleted after the run in predicted and diagnosis, without probing', async () => {
    const { net } = clients(cluster);
    await seedNamespace(cluster, 'after', []);
    await createTest(cluster, connectivityTest('after', 'open', [flow('other-to-web', 'other', 'Allowed')]));
    const run = await statusFor(cluster, 'after', 'open');
    const [first] = run.results ?? [];
    assert.deepEqual([first?.outcome, first?.verdict, first?.predicted], ['Connected', 'Pass', 'Allowed']);
    let probePods = 0;
    const stop = await watchPath(cluster, '/api/v1/namespaces/after/pods', (type, pod) => {
      if (type === 'ADDED' && pod.metadata?.labels?.['flowprobe.dev/run-id']) probePods += 1;
    });
    const result = async () => (await readTest(cluster, 'after', 'open')).status?.results?.[0];
    try {
      await net.createNamespacedNetworkPolicy({ namespace: 'after', body: denyIngressToWeb });
      await eventually(async () => (await result())?.predicted === 'Denied', 'predicted Denied');
      const denied = await readTest(cluster, 'after', 'open');
      assert.match(denied.status?.results?.[0]?.diagnosis ?? '', /the policies deny it/);
      assert.deepEqual(
        [denied.status?.runId, denied.status?.lastRunTime, denied.status?.results?.[0]?.outcome],
        [run.runId, run.lastRunTime, 'Connected'],
      );
      await net.deleteNamespacedNetworkPolicy({ namespace: 'after', name: denyIngressToWeb.metadata!.name! });
      await eventually(async () => (await result())?.predicted === 'Allowed', 'predicted Allowed again');
      assert.equal((await result())?.diagnosis, first?.diagnosis);
    } finally {
      stop();
    }
    assert.equal(probePods, 0, 'no probe pod was created for the refresh');
  });
});

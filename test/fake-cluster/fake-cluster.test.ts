/**
 * FakeCluster as a whole: the CRD option, the resolver pod it runs, and a stop() that leaves nothing behind
 * (network namespaces, /etc/netns entries, processes). Real where the prerequisites are met.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { FakeCluster } from '../support/fake-cluster/index.js';
import { run } from '../support/netlab/exec.js';
import { isReadyPod, k8s, waitForPod, workloadPod } from './helpers.js';

describe('FakeCluster', function () {
  this.timeout(30_000);

  it('installs the ConnectivityTest CRD with crds: true', async () => {
    const cluster = await FakeCluster.start({ crds: true, announce: false });
    try {
      const custom = cluster.kubeConfig().makeApiClient(k8s.CustomObjectsApi);
      const list = (await custom.listNamespacedCustomObject({
        group: 'flowprobe.dev',
        version: 'v1alpha1',
        namespace: 'default',
        plural: 'connectivitytests',
      })) as { items: unknown[] };
      assert.deepEqual(list.items, []);
    } finally {
      await cluster.stop();
    }
  });

  it('runs the resolver as a Ready pod labelled k8s-app=kube-dns in kube-system', async () => {
    const cluster = await FakeCluster.start({ announce: false });
    try {
      const pod = await waitForPod(cluster.core(), 'kube-system', 'kube-dns-fake', 'Ready', isReadyPod);
      assert.equal(pod.metadata?.labels?.['k8s-app'], 'kube-dns');
      assert.equal(pod.status?.podIP, '10.252.0.10');
    } finally {
      await cluster.stop();
    }
  });

  it('leaves no network namespace, /etc/netns entry or process behind after stop()', async () => {
    const cluster = await FakeCluster.start({ announce: false });
    const core = cluster.core();
    await core.createNamespacedPod({ namespace: 'default', body: workloadPod('web', { app: 'web' }) });
    await waitForPod(core, 'default', 'web', 'Ready', isReadyPod);
    const prefix = cluster.netnsPrefix;
    await cluster.stop();
    if (!cluster.real) return;
    const left = (await run('ip', ['netns', 'list'])).split('\n').filter((l) => l.startsWith(prefix));
    assert.deepEqual(left, [], 'network namespaces');
    const etc = existsSync('/etc/netns') ? readdirSync('/etc/netns').filter((d) => d.startsWith(prefix)) : [];
    assert.deepEqual(etc, [], '/etc/netns entries');
    const ps = await run('ps', ['-eo', 'args']);
    assert.ok(!ps.includes(`netns exec ${prefix}`), 'processes still running in its namespaces');
    assert.ok(
      !ps.split('\n').some((l) => l.includes(`--addn-hosts=`) && l.includes(cluster.runId)),
      'dnsmasq',
    );
  });
});

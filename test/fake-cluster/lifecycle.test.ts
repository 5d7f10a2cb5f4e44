/**
 * The FAKE kubelet's pod lifecycle, observed through the real @kubernetes/client-node: phases, IPs,
 * conditions (readiness gates), container states, logs, deadlines, image pulls and teardown. Runs with
 * real network namespaces where possible, else from the declared outcome table (the output says which).
 */
import assert from 'node:assert/strict';
import { FakeCluster } from '../support/fake-cluster/index.js';
import { probeCommand } from '../../src/probe/command.js';
import { settleOptions } from '../../src/probe/settle.js';
import { PROBE_SCRIPT } from '../../src/probe/script.js';
import { SCRIPT_NAME } from '../../src/probe/command.js';
import { parseProbeLog } from '../../src/probe/parse-log.js';
import { probePod } from '../../src/plan/probe-pod.js';
import {
  commandPod,
  condition,
  isDone,
  isReadyPod,
  isRunning,
  startWeb,
  waitForPod,
  workloadPod,
  k8s,
} from './helpers.js';

for (const pods of ['auto', 'declared'] as const) {
  describe(`FakeKubelet: pod lifecycle (${pods === 'auto' ? 'real pods where possible' : 'declared outcome table'})`, function () {
    this.timeout(60_000);
    let cluster: FakeCluster;
    let core: k8s.CoreV1Api;
    const ns = 'default';

    before(async () => {
      cluster = await FakeCluster.start({ cni: 'enforcing', pods, crds: true });
      core = cluster.core();
    });

    after(async () => {
      await cluster.stop();
    });

    it('runs a workload pod: Running, Ready, with a pod IP from the pod range and the node as hostIP', async () => {
      await core.createNamespacedPod({ namespace: ns, body: workloadPod('api', { app: 'api' }) });
      const pod = await waitForPod(core, ns, 'api', 'Ready', isReadyPod);
      assert.equal(pod.status?.phase, 'Running');
      assert.match(pod.status.podIP ?? '', /^10\.252\.\d+\.\d+$/);
      assert.deepEqual(
        pod.status.podIPs?.map((p) => p.ip),
        [pod.status.podIP],
      );
      assert.equal(pod.status.hostIP, '10.252.0.1');
      for (const type of ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready']) {
        assert.equal(condition(pod, type)?.status, 'True', type);
      }
      const state = pod.status.containerStatuses?.[0];
      assert.equal(state?.ready, true);
      assert.ok(state.state?.running?.startedAt !== undefined);
    });

    it('keeps a pod whose readiness gate never turns true Running but not Ready', async () => {
      const body = workloadPod(
        'gated',
        { app: 'gated' },
        { readinessGates: [{ conditionType: 'flowprobe.dev/never-ready' }] },
      );
      await core.createNamespacedPod({ namespace: ns, body });
      const pod = await waitForPod(
        core,
        ns,
        'gated',
        'Running with ready containers',
        (p) => isRunning(p) && condition(p, 'ContainersReady')?.status === 'True',
      );
      assert.equal(condition(pod, 'Ready')?.status, 'False');
      assert.equal(condition(pod, 'Ready')?.reason, 'ReadinessGatesNotReady');
    });

    it('makes a gated pod Ready once another writer sets its gate condition True', async () => {
      const gate = 'example.com/load-balancer-attached';
      const body = workloadPod('opened', { app: 'opened' }, { readinessGates: [{ conditionType: gate }] });
      await core.createNamespacedPod({ namespace: ns, body });
      await waitForPod(
        core,
        ns,
        'opened',
        'Running with ready containers',
        (p) => condition(p, 'ContainersReady')?.status === 'True',
      );
      const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);
      const patch = [{ op: 'add', path: '/status/conditions/-', value: { type: gate, status: 'True' } }];
      await core.patchNamespacedPodStatus({ namespace: ns, name: 'opened', body: patch }, jsonPatch);
      const pod = await waitForPod(core, ns, 'opened', 'Ready', isReadyPod);
      assert.equal(condition(pod, gate)?.status, 'True', 'the kubelet keeps the condition it does not own');
    });

    it('runs a probe pod to Succeeded and serves its log through pods/log', async () => {
      const ip = await startWeb(core, ns, 'target');
      const spec = { kind: 'tcp' as const, host: ip, port: 8080, timeoutSeconds: 2 };
      cluster.outcomes = { ...cluster.outcomes, [`tcp://${ip}:8080`]: 'Connected' };
      const command = probeCommand([spec], settleOptions(2, 1));
      await core.createNamespacedPod({
        namespace: ns,
        body: commandPod('probe-ok', { role: 'client' }, command),
      });
      const pod = await waitForPod(core, ns, 'probe-ok', 'done', isDone);
      assert.equal(pod.status?.phase, 'Succeeded');
      const terminated = pod.status.containerStatuses?.[0]?.state?.terminated;
      assert.equal(terminated?.exitCode, 0);
      assert.equal(terminated.reason, 'Completed');
      assert.ok(terminated.finishedAt !== undefined);
      assert.equal(condition(pod, 'Ready')?.reason, 'PodCompleted');
      const log = await core.readNamespacedPodLog({ namespace: ns, name: 'probe-ok', container: 'probe' });
      const [result] = parseProbeLog(log, ['target']);
      assert.equal(result?.outcome, 'Connected', log);
    });

    it('runs the operator’s own probe pod manifest (src/plan) to Succeeded, owned by its ConnectivityTest', async () => {
      const ip = await startWeb(core, ns, 'owned-target');
      const custom = cluster.kubeConfig().makeApiClient(k8s.CustomObjectsApi);
      const ctest = (await custom.createNamespacedCustomObject({
        group: 'flowprobe.dev',
        version: 'v1alpha1',
        namespace: ns,
        plural: 'connectivitytests',
        body: {
          apiVersion: 'flowprobe.dev/v1alpha1',
          kind: 'ConnectivityTest',
          metadata: { name: 'smoke', namespace: ns },
          spec: {
            flows: [
              {
                name: 'to-web',
                from: { labels: { role: 'client' } },
                to: { ip },
                port: 8080,
                expect: 'Allowed',
              },
            ],
          },
        },
      })) as { metadata: { uid: string } };
      const spec = { kind: 'tcp' as const, host: ip, port: 8080, timeoutSeconds: 2 };
      cluster.outcomes = { ...cluster.outcomes, [`tcp://${ip}:8080`]: 'Connected' };
      const manifest = probePod({
        test: { name: 'smoke', namespace: ns, uid: ctest.metadata.uid },
        runId: 'run-1',
        identityLabels: { role: 'client' },
        identityName: 'client',
        image: 'busybox:1.37.0',
        command: probeCommand([spec], settleOptions(2, 1)),
        deadlineSeconds: 60,
        probeCount: 1,
      });
      const created = await core.createNamespacedPod({
        namespace: ns,
        body: manifest as unknown as k8s.V1Pod,
      });
      const name = created.metadata?.name ?? '';
      const pod = await waitForPod(core, ns, name, 'done', isDone);
      assert.equal(pod.status?.phase, 'Succeeded');
      const log = await core.readNamespacedPodLog({ namespace: ns, name, container: 'probe' });
      assert.equal(parseProbeLog(log, ['web'])[0]?.outcome, 'Connected', log);
    });

    it('reports a failing command as Failed with its exit code and the log tail as termination message', async () => {
      const command = ['sh', '-c', PROBE_SCRIPT, SCRIPT_NAME, 'not-a-settle-argument'];
      await core.createNamespacedPod({
        namespace: ns,
        body: commandPod('probe-bad', { role: 'client' }, command),
      });
      const pod = await waitForPod(core, ns, 'probe-bad', 'done', isDone);
      assert.equal(pod.status?.phase, 'Failed');
      const terminated = pod.status.containerStatuses?.[0]?.state?.terminated;
      assert.equal(terminated?.exitCode, 2);
      assert.equal(terminated.reason, 'Error');
      assert.match(terminated.message ?? '', /invalid settle argument/);
    });

    it('kills a pod that outlives activeDeadlineSeconds: Failed, reason DeadlineExceeded', async () => {
      const body = workloadPod('slow', { app: 'slow' }, { activeDeadlineSeconds: 1, restartPolicy: 'Never' });
      await core.createNamespacedPod({ namespace: ns, body });
      const pod = await waitForPod(core, ns, 'slow', 'done', isDone);
      assert.equal(pod.status?.phase, 'Failed');
      assert.equal(pod.status.reason, 'DeadlineExceeded');
      assert.equal(pod.status.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
    });

    it('leaves a pod with an unpullable image Pending: ErrImagePull, then ImagePullBackOff', async () => {
      const body = workloadPod('nopull', { app: 'nopull' });
      body.spec!.containers[0]!.image = 'registry.invalid/does-not-exist:1';
      await core.createNamespacedPod({ namespace: ns, body });
      const reason = (p: k8s.V1Pod): string | undefined =>
        p.status?.containerStatuses?.[0]?.state?.waiting?.reason;
      const first = await waitForPod(
        core,
        ns,
        'nopull',
        'ErrImagePull or later',
        (p) => reason(p) !== undefined && reason(p) !== 'ContainerCreating',
      );
      assert.equal(reason(first), 'ErrImagePull');
      const later = await waitForPod(
        core,
        ns,
        'nopull',
        'ImagePullBackOff',
        (p) => reason(p) === 'ImagePullBackOff',
      );
      assert.equal(later.status?.phase, 'Pending');
      assert.equal(condition(later, 'Ready')?.status, 'False');
      assert.match(
        later.status.containerStatuses?.[0]?.state?.waiting?.message ?? '',
        /Back-off pulling image/,
      );
    });

    it('removes a deleted pod’s network namespace', async function () {
      if (!cluster.real) {
        console.log('      skipped: pods from the declared outcome table have no network namespace');
        this.skip();
      }
      await core.createNamespacedPod({ namespace: ns, body: workloadPod('gone', { app: 'gone' }) });
      const pod = await waitForPod(core, ns, 'gone', 'Ready', isReadyPod);
      const netns = cluster.podNetns(pod.metadata?.uid ?? '');
      assert.ok(
        netns !== undefined && (await cluster.netnsExists(netns)),
        'the pod has a namespace while it runs',
      );
      await core.deleteNamespacedPod({ namespace: ns, name: 'gone' });
      const deadline = Date.now() + 10_000;
      while (await cluster.netnsExists(netns)) {
        assert.ok(Date.now() < deadline, `${netns} still exists after the pod was deleted`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    });

    it('met no errors in the background', () => {
      assert.deepEqual(cluster.errors, []);
    });
  });
}

// The probe pod's identity in the local FAKE cluster (see harness.ts for what is real and what is fake):
// policies must select a probe exactly as they select the pod it stands in for (DESIGN.md, "Probe pods").
import { strict as assert } from 'node:assert';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { isRunning, waitForPod, workloadPod } from '../fake-cluster/helpers.js';
import {
  clients,
  connectivityTest,
  createTest,
  seedNamespace,
  statusFor,
  useFakeCluster,
  watchPods,
} from './harness.js';

const HELM = { 'app.kubernetes.io/managed-by': 'Helm' };

describe('probe pod identity in a local FAKE cluster with an enforcing CNI', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator-a']);
  let cluster: FakeCluster;
  before(() => {
    cluster = env.cluster;
  });

  // A chart's pods carry `app.kubernetes.io/managed-by: Helm` (helm.sh/docs, "Labels and Annotations"), and
  // policies select on it. A probe that overwrote it escaped the policy: Connected, a Fail, and a diagnosis
  // blaming the CNI, while the real pod was Blocked.
  it('keeps a borrowed managed-by label, so a policy selecting Helm pods denies the probe as it denies the pod', async () => {
    const { core, net } = clients(cluster);
    await seedNamespace(cluster, 'helm', []);
    await core.createNamespacedServiceAccount({ namespace: 'helm', body: { metadata: { name: 'client' } } });
    await core.createNamespacedPod({
      namespace: 'helm',
      body: workloadPod('client', { app: 'client', ...HELM }, { serviceAccountName: 'client' }),
    });
    await waitForPod(core, 'helm', 'client', 'Running', isRunning);
    await net.createNamespacedNetworkPolicy({
      namespace: 'helm',
      body: {
        metadata: { name: 'helm-no-egress' },
        spec: { podSelector: { matchLabels: HELM }, policyTypes: ['Egress'] },
      },
    });
    const probes = await watchPods(cluster, 'helm', 'flowprobe.dev/run-id');
    await createTest(
      cluster,
      connectivityTest('helm', 'helm-client', [
        {
          name: 'client-to-web',
          from: { podSelector: { matchLabels: { app: 'client' } } },
          to: { podSelector: { matchLabels: { app: 'web' } } },
          port: 8080,
          expect: 'Denied',
        },
      ]),
    );
    const status = await statusFor(cluster, 'helm', 'helm-client');
    probes.stop();
    const [r] = status.results ?? [];
    assert.deepEqual([r?.outcome, r?.verdict, r?.predicted], ['Blocked', 'Pass', 'Denied'], r?.diagnosis);
    const [probe] = probes.pods;
    assert.ok(probe, 'a probe pod was created');
    assert.equal(probe.metadata?.labels?.['app.kubernetes.io/managed-by'], 'Helm');
    assert.equal(probe.spec?.serviceAccountName, 'client');
    assert.equal(probe.spec.automountServiceAccountToken, false);
  });

  // kube-apiserver refuses a pod whose service account does not exist (plugin/pkg/admission/serviceaccount/
  // admission.go). That must show on the flow, not only in the operator's log.
  it("reports a flow whose service account does not exist as an Error with the API server's reason", async () => {
    await seedNamespace(cluster, 'nosa', []);
    await createTest(
      cluster,
      connectivityTest('nosa', 'ghost-account', [
        {
          name: 'ghost-to-web',
          from: { labels: { app: 'ghost' }, serviceAccountName: 'ghost' },
          to: { podSelector: { matchLabels: { app: 'web' } } },
          port: 8080,
          expect: 'Allowed',
        },
      ]),
    );
    const status = await statusFor(cluster, 'nosa', 'ghost-account');
    const [r] = status.results ?? [];
    assert.equal(r?.verdict, 'Error');
    assert.match(r.diagnosis, /error looking up service account nosa\/ghost/);
  });
});

// The operator against a CNI that programs a new pod's rules late, in the local FAKE cluster (harness.ts).
//
// Real enforcers do this: kindnet's kube-network-policies let a new pod's first requests through
// (kubernetes-sigs/kube-network-policies#171), kube-router installs a pod's rules after its traffic has
// started (cloudnativelabs/kube-router#873: "below 5 seconds"), and the AWS network policy agent allows
// everything until it has reconciled a new pod, "1-2 secs" (aws/aws-network-policy-agent#189, #345).
// The FAKE CNI's `lagMs` plays that: a new pod's own table arrives `lagMs` after its sandbox exists.
import { strict as assert } from 'node:assert';
import { isReadyPod, waitForPod, workloadPod } from '../fake-cluster/helpers.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { clients, connectivityTest, createTest, k8s, statusFor, useFakeCluster } from './harness.js';

/** The source may reach DNS only: its egress to `web` is denied by its own pod's rules. */
const lockedEgress: k8s.V1NetworkPolicy = {
  metadata: { name: 'locked-egress' },
  spec: {
    podSelector: { matchLabels: { role: 'locked' } },
    policyTypes: ['Egress'],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
            podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
          },
        ],
        ports: [
          { protocol: 'UDP', port: 53 },
          { protocol: 'TCP', port: 53 },
        ],
      },
    ],
  },
};

describe('the operator with a CNI that programs a new pod 3 s late (FAKE cluster, lagMs 3000)', function () {
  this.timeout(120_000);
  const env = useFakeCluster('enforcing', ['operator'], false, 3000);
  let cluster: FakeCluster;

  before(async function () {
    cluster = env.cluster;
    if (!cluster.real) {
      // Declared outcomes have no timing: the lag needs real pods (FLOWPROBE_REQUIRE_NETNS=1 fails instead).
      console.log('      skipped: enforcement lag needs real network namespaces');
      this.skip();
    }
    const { core, net } = clients(cluster);
    await core.createNamespace({ body: { metadata: { name: 'lag' } } });
    await core.createNamespacedPod({ namespace: 'lag', body: workloadPod('web', { app: 'web' }) });
    await waitForPod(core, 'lag', 'web', 'Ready', isReadyPod);
    await net.createNamespacedNetworkPolicy({ namespace: 'lag', body: lockedEgress });
  });

  it("waits out the lag: a flow the source's egress policy denies settles on Blocked and passes", async () => {
    await createTest(
      cluster,
      connectivityTest('lag', 'egress', [
        {
          name: 'locked-to-web',
          from: { labels: { role: 'locked' } },
          to: { podSelector: { matchLabels: { app: 'web' } } },
          port: 8080,
          expect: 'Denied',
        },
      ]),
    );
    const [r] = (await statusFor(cluster, 'lag', 'egress')).results ?? [];
    assert.ok(r);
    assert.deepEqual([r.outcome, r.verdict, r.predicted], ['Blocked', 'Pass', 'Denied'], r.diagnosis);
    assert.doesNotMatch(r.diagnosis, /not enforcing/);
  });

  it('met no errors in the background', () => {
    assert.deepEqual(cluster.errors, []);
  });
});

// When discovery of the policy kinds fails, what the cluster holds is unknown: a Cilium or ClusterNetworkPolicy
// may deny what a prediction would call allowed. client-go's discovery client returns an
// ErrGroupDiscoveryFailed for group versions it could not read (discovery/discovery_client.go), and
// kube-aggregator answers 503 for an APIService whose server is down (pkg/apiserver/handler_proxy.go), while
// /apis still lists the group version. The cluster must then not count as connected (readiness), say which
// discovery failed, and become connected once a discovery succeeds.
import { strict as assert } from 'node:assert';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeCluster } from '../../src/kube/index.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import { policyCrds } from '../support/policy-crds.js';

const cilium = (name: string): KubeObject => ({
  apiVersion: 'cilium.io/v2',
  kind: 'CiliumNetworkPolicy',
  metadata: { name, namespace: 'prod' },
  spec: { endpointSelector: { matchLabels: { app: 'api' } }, ingress: [{}] },
});

async function until(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a failed discovery of the policy kinds leaves the cluster not connected', function () {
  this.timeout(20_000);
  let server: FakeApiServer;
  let cluster: KubeCluster;
  let apiErrors: string[];
  let discoveryErrors: string[];

  beforeEach(async () => {
    server = await FakeApiServer.start({
      namespaces: ['prod'],
      objects: [...policyCrds(['cilium.io']), cilium('l7-api')],
    });
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    apiErrors = [];
    discoveryErrors = [];
    cluster = new KubeCluster(kc, {
      kinds: ['NetworkPolicy', 'ExtraPolicy', 'CustomResourceDefinition'],
      onApiError: (verb, err) => apiErrors.push(`${verb}: ${String(err)}`),
      onDiscoveryError: (reason) => discoveryErrors.push(reason),
      requestTimeoutMs: 5000,
    });
  });

  afterEach(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  it('when /apis fails: not synced nor connected, the reason names /apis, then connected once it answers', async () => {
    server.faults.failNext({ path: '/apis' });
    await cluster.startCaches();
    assert.equal(cluster.connected, false);
    assert.equal(cluster.synced, false);
    assert.match(cluster.discoveryProblem ?? '', /\/apis\b.*injected fault/);
    assert.equal(discoveryErrors.length, 1, 'the failure and its retry are logged');
    assert.equal(apiErrors.length, 1, 'counted as an API error');
    await until(() => cluster.connected, 'a later discovery to succeed');
    assert.equal(cluster.discoveryProblem, undefined);
    assert.deepEqual(
      cluster.extraPolicies.list().map((p) => p.metadata.name),
      ['l7-api'],
    );
  });

  it('when a group version answers 503: not connected, the reason names it, until it answers again', async () => {
    server.faults.failNext({ path: '/apis/cilium.io/v2', code: 503, times: 2 });
    await cluster.startCaches();
    assert.equal(cluster.connected, false);
    assert.match(cluster.discoveryProblem ?? '', /cilium\.io\/v2/);
    assert.ok(apiErrors.some((e) => e.startsWith('get: ')));
    await until(() => cluster.connected, 'a later discovery to succeed');
    assert.equal(cluster.discoveryProblem, undefined);
    assert.equal(cluster.extraPolicies.list().length, 1);
  });
});

// The extra policy kinds (src/kube/policy-kinds.ts) against the FAKE API server: cached only where discovery
// finds them served, looked for again when a CRD of their groups comes or goes, and dropped cleanly when it
// goes. kube-apiserver serves a CRD's resource once it is Established and answers 404 after it is deleted
// (apiextensions-apiserver pkg/apiserver/customresource_discovery_controller.go, customresource_handler.go);
// test/fake-apiserver/policy-crds.test.ts holds the FAKE API server to that.
import { strict as assert } from 'node:assert';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeCluster, type WireObject } from '../../src/kube/index.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import { policyCrd, policyCrds } from '../support/policy-crds.js';

const NPA = 'policy.networking.k8s.io';

const cnp = (name: string): KubeObject => ({
  apiVersion: `${NPA}/v1alpha2`,
  kind: 'ClusterNetworkPolicy',
  metadata: { name, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
  spec: {
    tier: 'Admin',
    priority: 5,
    subject: { namespaces: {} },
    egress: [{ name: 'block', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
  },
});

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

const names = (objs: readonly WireObject[]) =>
  objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.name}`).sort();

describe('extra policy kinds: cached where served, and only there', () => {
  let server: FakeApiServer;
  let cluster: KubeCluster;
  let changes: string[];
  let problems: string[];

  async function start(objects: KubeObject[], before?: (s: FakeApiServer) => void): Promise<void> {
    server = await FakeApiServer.start({ namespaces: ['prod'], objects });
    before?.(server);
    const kc = new KubeConfig();
    kc.loadFromString(server.kubeconfig());
    changes = [];
    problems = [];
    cluster = new KubeCluster(kc, {
      kinds: ['NetworkPolicy', 'ExtraPolicy', 'CustomResourceDefinition'],
      onChange: (kind, type, obj) => changes.push(`${kind} ${type} ${obj.metadata.name}`),
      onApiError: (verb, err) => problems.push(`api ${verb}: ${String(err)}`),
      onWatchError: (kind, err) => problems.push(`watch ${kind}: ${String(err)}`),
      requestTimeoutMs: 5000,
    });
    await cluster.startCaches();
  }

  afterEach(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  it('where none is served: one discovery request, no list or watch of a policy kind, ready, nothing cached', async () => {
    await start([]);
    const policyGroups = new Set(policyCrds().map((c) => (c.spec as { group: string }).group));
    const asked = server.requests().filter((r) => policyGroups.has(r.group));
    assert.deepEqual(asked, []);
    assert.deepEqual(server.nonResourceRequests(), ['/apis'], 'one discovery request');
    assert.deepEqual([cluster.synced, cluster.connected], [true, true]);
    assert.deepEqual(cluster.cached().extraPolicies, []);
    assert.deepEqual(problems, []);
  });

  it('caches each served kind, objects with apiVersion and kind, trimmed of status and the last-applied copy', async () => {
    await start([...policyCrds([NPA, 'cilium.io']), cnp('deny-metadata'), cilium('l7-api')]);
    assert.deepEqual(names(cluster.cached().extraPolicies), [
      'cilium.io/v2 CiliumNetworkPolicy l7-api',
      `${NPA}/v1alpha2 ClusterNetworkPolicy deny-metadata`,
    ]);
    const cached = cluster.cached().extraPolicies.find((o) => o.metadata.name === 'deny-metadata')!;
    assert.deepEqual(Object.keys(cached).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal(
      cached.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'],
      undefined,
    );
    assert.deepEqual(
      cluster.extraPolicies
        .kinds()
        .map((k) => k.plural)
        .sort(),
      [
        'adminnetworkpolicies',
        'baselineadminnetworkpolicies',
        'ciliumclusterwidenetworkpolicies',
        'ciliumnetworkpolicies',
        'clusternetworkpolicies',
      ],
    );
    assert.deepEqual(problems, []);
  });

  it('starts caching a kind whose CRD is created after start, and sees its objects', async () => {
    await start([]);
    await server.create(policyCrd(NPA, 'clusternetworkpolicies'));
    await until(() => cluster.extraPolicies.kinds().length === 1, 'the ClusterNetworkPolicy cache');
    await server.create(cnp('late'));
    await until(() => cluster.cached().extraPolicies.length === 1, 'the new ClusterNetworkPolicy');
    assert.ok(changes.includes('ExtraPolicy add late'));
    assert.deepEqual([cluster.synced, cluster.connected], [true, true]);
    assert.deepEqual(problems, []);
  });

  it('stops the cache of a kind whose CRD is deleted: its objects leave, no error, still ready', async () => {
    await start([...policyCrds(['cilium.io']), cilium('l7-api')]);
    assert.equal(cluster.cached().extraPolicies.length, 1);
    const crd = 'ciliumnetworkpolicies.cilium.io';
    await fetch(`${server.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd}`, {
      method: 'DELETE',
      headers: { Authorization: `Bearer ${server.tokenFor('system:admin')}` },
    });
    await until(
      () => !cluster.extraPolicies.kinds().some((k) => k.plural === 'ciliumnetworkpolicies'),
      'the CiliumNetworkPolicy cache to stop',
    );
    assert.deepEqual(cluster.cached().extraPolicies, []);
    assert.ok(changes.includes('ExtraPolicy delete l7-api'), changes.join('\n'));
    assert.deepEqual(
      cluster.extraPolicies.kinds().map((k) => k.plural),
      ['ciliumclusterwidenetworkpolicies'],
    );
    // A while later: nothing retries the gone kind, nothing failed.
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual([cluster.synced, cluster.connected], [true, true]);
    assert.deepEqual(problems, []);
    // The server closed the watch; its one reopening met the 404 that (with the CRD's DELETED event) stopped
    // the cache. Nothing listed or watched the gone kind after that.
    const after = server
      .requests({ resource: 'ciliumnetworkpolicies' })
      .slice(2)
      .map((r) => r.verb);
    assert.ok(after.length <= 1 && after.every((v) => v === 'watch'), after.join(', '));
  });

  it('reads Calico policies once: from projectcalico.org/v3 where served, not again from crd.projectcalico.org/v1', async () => {
    await start(policyCrds(['projectcalico.org', 'crd.projectcalico.org']));
    const groups = new Set(cluster.extraPolicies.kinds().map((k) => k.group));
    assert.deepEqual([...groups], ['projectcalico.org']);
    assert.equal(
      server.requests({ group: 'crd.projectcalico.org' }).filter((r) => r.verb === 'list').length,
      0,
    );
  });

  // Discovery and the resource handlers need not agree for a while: discovery is an aggregated, cached view
  // (a CRD's resource is added when it is Established, customresource_discovery_controller.go), and in an
  // HA control plane each apiserver runs its own. A kind discovery lists whose list answers 404 must be
  // retried with the back-off, not restarted at once in a loop.
  it('retries with the back-off a kind discovery lists but whose list answers 404', async () => {
    const lists = () =>
      server.requests({ resource: 'clusternetworkpolicies' }).filter((r) => r.verb === 'list').length;
    await start([...policyCrds([NPA]), cnp('deny-metadata')], (s) => {
      s.faults.failNext({
        verb: 'list',
        group: NPA,
        resource: 'clusternetworkpolicies',
        code: 404,
        times: 1e6,
      });
    });
    await new Promise((r) => setTimeout(r, 2000));
    // Back-off from 1 s, doubling: about three lists in two seconds; a loop without it makes hundreds.
    assert.ok(lists() <= 4, `${lists()} lists in two seconds`);
    const discoveries = server.nonResourceRequests().filter((p) => p === '/apis').length;
    assert.ok(discoveries <= 5, `${discoveries} discovery runs in two seconds`);
    // When the list answers again, the kind is cached.
    server.faults.clear();
    await until(() => cluster.cached().extraPolicies.length === 1, 'the ClusterNetworkPolicy cache', 15_000);
  });

  // Calico's API server authorises a tiered policy list once more, per tier (docs.tigera.io, "Configure
  // RBAC for tiered policies"): a role without those grants gets 403. The cluster then is not synced — no
  // prediction may go on without the kind — and says which kind and which grant, not "unreachable".
  it('names the kind and the missing grant when the API server refuses a policy list', async () => {
    await start(policyCrds(['projectcalico.org']), (s) => {
      s.faults.failNext({
        verb: 'list',
        group: 'projectcalico.org',
        resource: 'networkpolicies',
        code: 403,
        times: 1e6,
      });
    });
    assert.equal(cluster.synced, false);
    assert.deepEqual(cluster.extraPolicies.refusals(), [
      "the API server refuses to list NetworkPolicy (projectcalico.org/v3 networkpolicies): grant list, watch on projectcalico.org networkpolicies, and for Calico's API server get on projectcalico.org tiers and list, watch on projectcalico.org tier.networkpolicies",
    ]);
  });
});

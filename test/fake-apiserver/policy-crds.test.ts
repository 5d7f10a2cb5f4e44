/**
 * The policy CRDs a cluster may carry (test/fixtures/policy-crds), served by the FAKE API server as
 * kube-apiserver serves a CRD: its group version appears in discovery once the CRD is Established and goes
 * when it is deleted (apiextensions-apiserver pkg/apiserver/customresource_discovery_controller.go lists
 * only Established CRDs and only `served` versions); deleting a CRD deletes its objects, which watchers see
 * as DELETED events, before the resource stops being served (pkg/controller/finalizer/crd_finalizer.go
 * `deleteInstances`), and then its paths answer 404. The verbatim ClusterNetworkPolicy CRD judges objects
 * as a real server would.
 */
import assert from 'node:assert/strict';
import type { FakeApiServer, KubeObject } from '../support/fake-apiserver/index.js';
import { policyCrd } from '../support/policy-crds.js';
import { clientsFor, k8s, startWithFixtures, statusOf, type Clients } from './harness.js';

const NPA = 'policy.networking.k8s.io';
const CNP = { group: NPA, version: 'v1alpha2', plural: 'clusternetworkpolicies' };

const denyMetadata = (name: string): KubeObject => ({
  apiVersion: `${NPA}/v1alpha2`,
  kind: 'ClusterNetworkPolicy',
  metadata: { name },
  spec: {
    tier: 'Admin',
    priority: 5,
    subject: { namespaces: {} },
    egress: [{ name: 'block', action: 'Deny', to: [{ networks: ['169.254.169.254/32'] }] }],
  },
});

async function discovery(server: FakeApiServer, path: string): Promise<{ code: number; body: unknown }> {
  const res = await fetch(`${server.url}${path}`, {
    headers: { Authorization: `Bearer ${server.tokenFor('system:admin')}` },
  });
  return { code: res.status, body: await res.json() };
}

async function groupVersions(server: FakeApiServer): Promise<string[]> {
  const { body } = await discovery(server, '/apis');
  const groups = (body as { groups: { versions: { groupVersion: string }[] }[] }).groups;
  return groups.flatMap((g) => g.versions.map((v) => v.groupVersion));
}

describe('FakeApiServer: the policy CRDs come and go as kube-apiserver serves them', () => {
  let server: FakeApiServer;
  let c: Clients;
  let crds: k8s.ApiextensionsV1Api;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
    crds = c.kc.makeApiClient(k8s.ApiextensionsV1Api);
  });
  afterEach(() => server.stop());

  it('lists policy.networking.k8s.io/v1alpha2 and clusternetworkpolicies (list, watch) only once the CRD exists', async () => {
    assert.ok(!(await groupVersions(server)).includes(`${NPA}/v1alpha2`));
    assert.equal((await discovery(server, `/apis/${NPA}/v1alpha2`)).code, 404);
    await crds.createCustomResourceDefinition({
      body: policyCrd(NPA, 'clusternetworkpolicies') as unknown as k8s.V1CustomResourceDefinition,
    });
    assert.ok((await groupVersions(server)).includes(`${NPA}/v1alpha2`));
    const doc = (await discovery(server, `/apis/${NPA}/v1alpha2`)).body as {
      resources: { name: string; namespaced: boolean; kind: string; verbs: string[] }[];
    };
    const cnp = doc.resources.find((r) => r.name === 'clusternetworkpolicies');
    assert.deepEqual([cnp?.kind, cnp?.namespaced], ['ClusterNetworkPolicy', false]);
    assert.ok(cnp?.verbs.includes('list') && cnp.verbs.includes('watch'));
  });

  it('does not list a version the CRD marks served: false (Antrea v1alpha1)', async () => {
    await crds.createCustomResourceDefinition({
      body: policyCrd('crd.antrea.io', 'clusternetworkpolicies') as unknown as k8s.V1CustomResourceDefinition,
    });
    const versions = await groupVersions(server);
    assert.ok(versions.includes('crd.antrea.io/v1beta1'));
    assert.ok(!versions.includes('crd.antrea.io/v1alpha1'));
    assert.equal((await discovery(server, '/apis/crd.antrea.io/v1alpha1')).code, 404);
  });

  it("judges ClusterNetworkPolicies by the real CRD's schema: a valid one is stored, an unknown action is 422", async () => {
    await crds.createCustomResourceDefinition({
      body: policyCrd(NPA, 'clusternetworkpolicies') as unknown as k8s.V1CustomResourceDefinition,
    });
    await c.custom.createClusterCustomObject({ ...CNP, body: denyMetadata('deny-metadata') });
    const bad = denyMetadata('bad');
    (bad.spec as { egress: { action: string }[] }).egress[0]!.action = 'Allow';
    const status = await statusOf(c.custom.createClusterCustomObject({ ...CNP, body: bad }), 422);
    assert.match(status.message, /action/);
  });

  it('on CRD deletion: DELETED for each object to an open watch, then discovery and the collection answer 404', async () => {
    await crds.createCustomResourceDefinition({
      body: policyCrd(NPA, 'clusternetworkpolicies') as unknown as k8s.V1CustomResourceDefinition,
    });
    await c.custom.createClusterCustomObject({ ...CNP, body: denyMetadata('a') });
    const seen: string[] = [];
    let ended!: () => void;
    const closed = new Promise<void>((resolve) => (ended = resolve));
    const list = (await c.custom.listClusterCustomObject(CNP)) as { metadata: { resourceVersion: string } };
    const req = await new k8s.Watch(c.kc).watch(
      `/apis/${NPA}/v1alpha2/clusternetworkpolicies`,
      { resourceVersion: list.metadata.resourceVersion },
      (type, obj: KubeObject) => {
        seen.push(`${type} ${obj.metadata.name}`);
      },
      () => {
        ended();
      },
    );
    await crds.deleteCustomResourceDefinition({ name: `clusternetworkpolicies.${NPA}` });
    await Promise.race([
      closed,
      new Promise((_, reject) => {
        setTimeout(() => {
          reject(new Error('the watch stayed open'));
        }, 5000).unref();
      }),
    ]);
    req.abort();
    assert.deepEqual(seen, ['DELETED a']);
    assert.ok(!(await groupVersions(server)).includes(`${NPA}/v1alpha2`));
    assert.equal((await discovery(server, `/apis/${NPA}/v1alpha2/clusternetworkpolicies`)).code, 404);
  });
});

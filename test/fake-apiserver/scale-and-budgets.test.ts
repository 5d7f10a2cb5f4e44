// What the disruption controller reads from the API server, as the FAKE API server serves it: the scale
// subresource (apiextensions-apiserver pkg/registry/customresource/etcd.go for CRDs; apps/v1 for
// workloads), its discovery entry (client-go scale/util.go resolves the Scale kind from it), and
// policy/v1 PodDisruptionBudgets (deploy/pdb.yaml).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';

const WIDGETS_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.dev' },
  spec: {
    group: 'example.dev',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size' } },
      },
    ],
  },
};

/** The parts of the answers (Scale, PDB, APIResourceList, Status) these tests read. */
interface Answer {
  apiVersion?: string;
  kind?: string;
  message?: string;
  metadata?: { uid?: string };
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string; disruptionsAllowed?: number };
  resources?: { name: string; group?: string; version?: string; kind: string }[];
}

describe('the scale subresource and PodDisruptionBudgets (FAKE API server)', () => {
  let server: FakeApiServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.tokenFor('system:admin')}`,
        'content-type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
  before(async () => {
    server = await FakeApiServer.start({ namespaces: ['default', 'flowprobe'], objects: [WIDGETS_CRD] });
  });
  after(() => server.stop());

  it('answers 500 for a custom resource without its spec replicas field, as ScaleREST.Get does', async () => {
    await server.create({
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'bare', namespace: 'default' },
      spec: {},
    });
    const res = await call('GET', '/apis/example.dev/v1/namespaces/default/widgets/bare/scale');
    assert.equal(res.status, 500);
    assert.match(String(res.body.message), /the spec replicas field "\.spec\.size" does not exist/);
  });

  it("serves a custom resource's Scale with its uid, and writes a new size back", async () => {
    const widget = await server.create({
      apiVersion: 'example.dev/v1',
      kind: 'Widget',
      metadata: { name: 'sized', namespace: 'default' },
      spec: { size: 2 },
    });
    const path = '/apis/example.dev/v1/namespaces/default/widgets/sized/scale';
    const got = await call('GET', path);
    assert.equal(got.status, 200);
    assert.deepEqual(
      [got.body.apiVersion, got.body.kind, got.body.metadata?.uid],
      ['autoscaling/v1', 'Scale', widget.metadata.uid],
    );
    assert.deepEqual([got.body.spec?.replicas, got.body.status?.replicas], [2, 0]);
    const patched = await call('PATCH', path, { spec: { replicas: 5 } });
    assert.equal(patched.body.spec?.replicas, 5);
    assert.equal(
      (server.get('example.dev/v1', 'Widget', 'default', 'sized')?.spec as { size: number }).size,
      5,
    );
  });

  it('is 404 on a resource without scale, and discovery lists scale only where it is served', async () => {
    await server.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'default' },
    });
    assert.equal((await call('GET', '/api/v1/namespaces/default/configmaps/c/scale')).status, 404);
    const core = await call('GET', '/api/v1');
    assert.ok(!core.body.resources!.some((r) => r.name.endsWith('/scale')));
    const apps = await call('GET', '/apis/apps/v1');
    const scales = apps.body.resources!.filter((r) => r.name.endsWith('/scale'));
    assert.deepEqual(scales.map((r) => r.name).sort(), [
      'deployments/scale',
      'replicasets/scale',
      'statefulsets/scale',
    ]);
    assert.deepEqual([scales[0]?.group, scales[0]?.version, scales[0]?.kind], ['autoscaling', 'v1', 'Scale']);
  });

  it('serves the scale of a Deployment from spec.replicas', async () => {
    const labels = { app: 'web' };
    await server.create({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 4,
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: 'w', image: 'w' }] } },
      },
    });
    const scale = await call('GET', '/apis/apps/v1/namespaces/default/deployments/web/scale');
    assert.deepEqual([scale.body.spec?.replicas, scale.body.status?.selector], [4, 'app=web']);
  });

  it('accepts deploy/pdb.yaml, and its status only through /status', async () => {
    const pdb = parse(readFileSync(new URL('../../deploy/pdb.yaml', import.meta.url), 'utf8')) as KubeObject;
    const created = await call('POST', '/apis/policy/v1/namespaces/flowprobe/poddisruptionbudgets', pdb);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const path = '/apis/policy/v1/namespaces/flowprobe/poddisruptionbudgets/flowprobe-operator';
    const status = { currentHealthy: 2, desiredHealthy: 1, expectedPods: 2, disruptionsAllowed: 1 };
    const viaMain = await call('PUT', path, { ...created.body, status });
    assert.equal(viaMain.body.status, undefined);
    const viaStatus = await call('PUT', `${path}/status`, { ...viaMain.body, status });
    assert.equal(viaStatus.body.status?.disruptionsAllowed, 1);
  });

  it('accepts RBAC names with colons, as the bootstrap roles have (system:controller:...)', async () => {
    const role = {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:controller:x' },
      rules: [],
    };
    assert.equal((await call('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', role)).status, 201);
  });
});

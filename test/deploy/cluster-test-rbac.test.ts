// Who may create a ClusterConnectivityTest: cluster admins only (README, "ClusterConnectivityTest"). Its
// author runs probe pods with borrowed labels in every namespace it selects, so deploy/aggregated-roles.yaml
// aggregates only ConnectivityTests to the built-in edit/admin/view roles.
//
// The FAKE API server enforces RBAC but runs no clusterrole-aggregation controller. The built-in roles are
// therefore built here as that controller builds them (kubernetes pkg/controller/clusterroleaggregation:
// an aggregated role's rules are the union of the rules of every ClusterRole its aggregationRule's label
// selectors match), from the shipped roles alone: what the built-in edit grants besides them is
// Kubernetes' own resources, none of flowprobe.dev.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parse, parseAllDocuments } from 'yaml';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import { clientsFor, statusOf } from '../fake-apiserver/harness.js';

const file = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const shippedRoles = parseAllDocuments(file('deploy/aggregated-roles.yaml')).map(
  (d) => d.toJS() as KubeObject,
);

/** A built-in role as the aggregation controller fills it from the ClusterRoles labelled for it. */
function aggregated(name: 'edit' | 'admin' | 'view'): KubeObject {
  const label = `rbac.authorization.k8s.io/aggregate-to-${name}`;
  const rules = shippedRoles
    .filter((r) => r.metadata.labels?.[label] === 'true')
    .flatMap((r) => (r.rules as unknown[] | undefined) ?? []);
  return { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules };
}

function clusterBinding(user: string, role: string): KubeObject {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: `${user}-${role}` },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: user }],
  };
}

function roleBinding(user: string, role: string, namespace: string): KubeObject {
  return {
    ...clusterBinding(user, role),
    kind: 'RoleBinding',
    metadata: { name: `${user}-${role}`, namespace },
  };
}

const flows = [
  { name: 'f', from: { labels: { app: 'p' } }, to: { ip: '10.0.0.1' }, port: 80, expect: 'Denied' },
];
const cctest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ClusterConnectivityTest',
  metadata: { name: 'tenants' },
  spec: { namespaceSelector: {}, flows },
};
const ctest = (name: string) => ({
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name, namespace: 'tenant-a' },
  spec: { flows },
});
const CLUSTER = { group: 'flowprobe.dev', version: 'v1alpha1', plural: 'clusterconnectivitytests' };
const NAMESPACED = { ...CLUSTER, plural: 'connectivitytests', namespace: 'tenant-a' };

describe('who may create a ClusterConnectivityTest (shipped roles, FAKE API server enforcing RBAC)', () => {
  let server: FakeApiServer;
  before(async () => {
    const crds = ['connectivitytests', 'clusterconnectivitytests'].map(
      (p) => parse(file(`crds/${p}.flowprobe.dev.yaml`)) as KubeObject,
    );
    server = await FakeApiServer.start({
      namespaces: ['default', 'tenant-a'],
      objects: [
        ...crds,
        ...shippedRoles,
        aggregated('edit'),
        aggregated('admin'),
        aggregated('view'),
        roleBinding('namespace-admin', 'admin', 'tenant-a'),
        clusterBinding('everywhere-editor', 'edit'),
        clusterBinding('dashboard', 'flowprobe-cluster-view'),
      ],
    });
  });
  after(() => server.stop());

  it('no shipped role aggregates ClusterConnectivityTests to edit, admin or view', () => {
    for (const role of ['edit', 'admin', 'view'] as const) {
      const resources = ((aggregated(role).rules ?? []) as { resources: string[] }[]).flatMap(
        (r) => r.resources,
      );
      assert.ok(resources.includes('connectivitytests'), `${role} carries ConnectivityTests`);
      assert.ok(
        !resources.some((r) => r.startsWith('clusterconnectivitytests')),
        `${role}: ${resources.join()}`,
      );
    }
  });

  it('a namespace admin may create a ConnectivityTest in their namespace, but no ClusterConnectivityTest (403)', async () => {
    const { custom } = clientsFor(server, 'namespace-admin');
    await custom.createNamespacedCustomObject({ ...NAMESPACED, body: ctest('mine') });
    const status = await statusOf(custom.createClusterCustomObject({ ...CLUSTER, body: cctest }), 403);
    assert.match(
      status.message,
      /User "namespace-admin" cannot create resource "clusterconnectivitytests" in API group "flowprobe.dev" at the cluster scope/,
    );
  });

  it('nor may a user bound to edit in every namespace (a ClusterRoleBinding)', async () => {
    const { custom } = clientsFor(server, 'everywhere-editor');
    await custom.createNamespacedCustomObject({ ...NAMESPACED, body: ctest('theirs') });
    await statusOf(custom.createClusterCustomObject({ ...CLUSTER, body: cctest }), 403);
  });

  it('flowprobe-cluster-view reads them and creates none', async () => {
    await clientsFor(server).custom.createClusterCustomObject({ ...CLUSTER, body: cctest });
    const { custom } = clientsFor(server, 'dashboard');
    const list = (await custom.listClusterCustomObject(CLUSTER)) as { items: unknown[] };
    assert.equal(list.items.length, 1);
    await statusOf(
      custom.createClusterCustomObject({ ...CLUSTER, body: { ...cctest, metadata: { name: 'other' } } }),
      403,
    );
  });
});

/**
 * Authentication by bearer token and RBAC authorization (https://kubernetes.io/docs/reference/access-authn-authz/rbac/)
 * over the Roles and bindings the fake holds, with kube-apiserver's 401 and 403 Status responses, and a
 * record of what each identity used.
 */

import assert from 'node:assert/strict';
import { serviceAccountUser, type FakeApiServer } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  GROUP,
  k8s,
  kubeConfigFor,
  rejection,
  startWithFixtures,
  statusOf,
  VERSION,
  type Clients,
} from './harness.js';

const SA = serviceAccountUser('flowprobe', 'flowprobe');

describe('FakeApiServer: authentication and RBAC', () => {
  let server: FakeApiServer;
  let admin: Clients;
  let sa: Clients;

  beforeEach(async () => {
    server = await startWithFixtures({ namespaces: ['default', 'flowprobe', 'other'] });
    admin = clientsFor(server);
    sa = clientsFor(server, SA);
  });
  afterEach(() => server.stop());

  async function grant(
    kind: 'Role' | 'ClusterRole',
    rules: k8s.V1PolicyRule[],
    namespace = 'default',
  ): Promise<void> {
    const subjects = [{ kind: 'ServiceAccount', name: 'flowprobe', namespace: 'flowprobe' }];
    if (kind === 'Role') {
      await admin.rbac.createNamespacedRole({ namespace, body: { metadata: { name: 'r' }, rules } });
      await admin.rbac.createNamespacedRoleBinding({
        namespace,
        body: {
          metadata: { name: 'rb' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
          subjects,
        },
      });
    } else {
      await admin.rbac.createClusterRole({ body: { metadata: { name: 'cr' }, rules } });
      await admin.rbac.createClusterRoleBinding({
        body: {
          metadata: { name: 'crb' },
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' },
          subjects,
        },
      });
    }
  }

  it('answers a request without a valid token with 401 Unauthorized', async () => {
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig().replace(/token: .*/, 'token: wrong'));
    const error = await rejection(kc.makeApiClient(k8s.CoreV1Api).listNamespace());
    assert.ok(error instanceof k8s.ApiException && error.code === 401);
    // The generated client drops a 401 body, so read the Status directly.
    const res = await fetch(`${server.url}/api/v1/namespaces`, {
      headers: { Authorization: 'Bearer wrong' },
    });
    assert.equal(res.status, 401);
    assert.deepEqual(await res.json(), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
  });

  // responsewriters/errors.go forbiddenMessage.
  it("refuses an unauthorized list with 403 and kube-apiserver's message", async () => {
    const status = await statusOf(sa.core.listNamespacedPod({ namespace: 'default' }), 403);
    assert.equal(status.reason, 'Forbidden');
    assert.equal(
      status.message,
      'pods is forbidden: User "system:serviceaccount:flowprobe:flowprobe" cannot list resource "pods" in API group "" in the namespace "default"',
    );
    assert.deepEqual(status.details, { kind: 'pods' });
  });

  it('names the object, subresource and cluster scope in a 403', async () => {
    const get = await statusOf(sa.core.readNamespacedPodLog({ namespace: 'default', name: 'p' }), 403);
    assert.equal(
      get.message,
      'pods "p" is forbidden: User "system:serviceaccount:flowprobe:flowprobe" cannot get resource "pods/log" in API group "" in the namespace "default"',
    );
    const cluster = await statusOf(
      sa.custom.listClusterCustomObject({ group: GROUP, version: VERSION, plural: 'probeclasses' }),
      403,
    );
    assert.equal(
      cluster.message,
      `probeclasses.${GROUP} is forbidden: User "system:serviceaccount:flowprobe:flowprobe" cannot list resource "probeclasses" in API group "${GROUP}" at the cluster scope`,
    );
  });

  it('allows what a RoleBinding grants, in its namespace only', async () => {
    await grant('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]);
    await sa.core.listNamespacedPod({ namespace: 'default' });
    await statusOf(sa.core.listNamespacedPod({ namespace: 'other' }), 403);
    await statusOf(sa.core.listPodForAllNamespaces(), 403);
  });

  it('allows what a ClusterRoleBinding grants, in every namespace and at the cluster scope', async () => {
    await grant('ClusterRole', [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }]);
    await sa.core.listNamespacedPod({ namespace: 'other' });
    await sa.core.listPodForAllNamespaces();
  });

  it('treats a subresource as its own resource: pods does not grant pods/status or pods/log', async () => {
    await grant('Role', [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'create', 'patch'] }]);
    await sa.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x' }] } },
    });
    await statusOf(sa.core.readNamespacedPodLog({ namespace: 'default', name: 'p' }), 403);
    await statusOf(sa.core.readNamespacedPodStatus({ namespace: 'default', name: 'p' }), 403);
  });

  it('matches apiGroups, resourceNames and the * wildcard as RBAC defines them', async () => {
    await grant('Role', [
      { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get'], resourceNames: ['allowed'] },
      { apiGroups: [GROUP], resources: ['*'], verbs: ['*'] },
    ]);
    await admin.core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'allowed' } },
    });
    await admin.core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'denied' } },
    });
    await sa.core.readNamespacedServiceAccount({ namespace: 'default', name: 'allowed' });
    await statusOf(sa.core.readNamespacedServiceAccount({ namespace: 'default', name: 'denied' }), 403);
    await statusOf(sa.core.listNamespacedServiceAccount({ namespace: 'default' }), 403);
    await sa.custom.listNamespacedCustomObject({
      group: GROUP,
      version: VERSION,
      namespace: 'default',
      plural: 'probes',
    });
    await statusOf(sa.core.listNamespacedPod({ namespace: 'default' }), 403);
  });

  it('lets every authenticated identity read discovery', async () => {
    const kc = kubeConfigFor(server, SA);
    const groups = await kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    assert.ok(groups.groups.some((g) => g.name === GROUP));
  });

  it('records what an identity used, allowed or not, for comparison with the shipped RBAC', async () => {
    await grant('Role', [{ apiGroups: [GROUP], resources: ['probes/status'], verbs: ['patch'] }]);
    await statusOf(sa.core.listNamespacedPod({ namespace: 'default' }), 403);
    await statusOf(
      sa.custom.patchNamespacedCustomObjectStatus({
        group: GROUP,
        version: VERSION,
        namespace: 'default',
        plural: 'probes',
        name: 'x',
        body: [],
      }),
      404,
    );
    assert.deepEqual(server.usage(SA), [
      { verb: 'list', group: '', resource: 'pods', subresource: '', namespace: 'default', allowed: false },
      {
        verb: 'patch',
        group: GROUP,
        resource: 'probes',
        subresource: 'status',
        namespace: 'default',
        allowed: true,
      },
    ]);
  });

  // requestinfo.go: a list or watch selecting one name by fieldSelector is authorized against resourceNames.
  it('authorizes a list with fieldSelector metadata.name against resourceNames', async () => {
    await grant('Role', [
      {
        apiGroups: ['coordination.k8s.io'],
        resources: ['leases'],
        verbs: ['list'],
        resourceNames: ['leader'],
      },
    ]);
    const leases = (
      await sa.leases.listNamespacedLease({ namespace: 'default', fieldSelector: 'metadata.name=leader' })
    ).items;
    assert.deepEqual(leases, []);
    await statusOf(sa.leases.listNamespacedLease({ namespace: 'default' }), 403);
  });

  it('reports denied requests and granted permissions the identity never used', async () => {
    await grant('Role', [{ apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] }]);
    await sa.core.listNamespacedPod({ namespace: 'default' });
    await statusOf(sa.core.listNamespacedService({ namespace: 'default' }), 403);
    const report = server.rbacReport(SA);
    assert.deepEqual(
      report.denied.map((d) => `${d.verb} ${d.resource}`),
      ['list services'],
    );
    assert.deepEqual(
      report.unused.map((g) => `${g.namespace} ${g.verb} ${g.resource}`),
      ['default get pods', 'default get pods/log', 'default list pods/log'],
    );
  });
});

/**
 * The OwnerReferencesPermissionEnforcement admission plugin (kubernetes
 * plugin/pkg/admission/gc/gc_admission.go), which OpenShift and hardened clusters enable and kind v0.29 does
 * not: setting `blockOwnerDeletion: true` needs `update` on the owner's `<resource>/finalizers`, and changing
 * ownerReferences at all needs `delete` on the object. Messages as users report them from real clusters
 * (operator-framework/operator-sdk#4020, kubernetes-sigs/kueue#1485): 403, `…: , <nil>`.
 */
import assert from 'node:assert/strict';
import {
  serviceAccountUser,
  type FakeApiServer,
  type FakeApiServerOptions,
} from '../support/fake-apiserver/index.js';
import { clientsFor, k8s, mergePatch, startWithFixtures, statusOf, type Clients } from './harness.js';

const SA = serviceAccountUser('default', 'runner');
const FINALIZERS_REFUSED =
  "cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: , <nil>";
const ENFORCING: FakeApiServerOptions = { enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'] };

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
const POD_RULES: Rule[] = [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete'] }];
const FINALIZERS: Rule = { apiGroups: [''], resources: ['configmaps/finalizers'], verbs: ['update'] };

describe('FakeApiServer: OwnerReferencesPermissionEnforcement admission', () => {
  let server: FakeApiServer | undefined;
  let admin: Clients;
  let runner: Clients;
  let owner: k8s.V1ConfigMap;

  async function start(options: FakeApiServerOptions, rules: Rule[]): Promise<void> {
    await server?.stop();
    server = await startWithFixtures(options);
    admin = clientsFor(server);
    runner = clientsFor(server, SA);
    await admin.rbac.createNamespacedRole({ namespace: 'default', body: { metadata: { name: 'r' }, rules } });
    await admin.rbac.createNamespacedRoleBinding({
      namespace: 'default',
      body: {
        metadata: { name: 'rb' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
        subjects: [{ kind: 'ServiceAccount', name: 'runner', namespace: 'default' }],
      },
    });
    owner = await admin.core.createNamespacedConfigMap({
      namespace: 'default',
      body: { metadata: { name: 'owner' } },
    });
  }
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  /** A pod owned by the ConfigMap `owner` (or the kind given), as flowprobe run's probe pods are. */
  function ownedPod(
    blockOwnerDeletion: boolean | undefined,
    kind = { apiVersion: 'v1', kind: 'ConfigMap' },
  ): k8s.V1Pod {
    const ref = { ...kind, name: 'owner', uid: owner.metadata?.uid ?? '', controller: true };
    return {
      metadata: {
        generateName: 'probe-',
        ownerReferences: [blockOwnerDeletion === undefined ? ref : { ...ref, blockOwnerDeletion }],
      },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    };
  }

  const createPod = (body: k8s.V1Pod) => runner.core.createNamespacedPod({ namespace: 'default', body });

  // gc_admission.go ownerRefToDeleteAttributeRecords asks about a cluster-scoped owner (a Namespace, a
  // ClusterConnectivityTest) at the cluster scope, where a RoleBinding grants nothing.
  it("checks a cluster-scoped owner's finalizers at the cluster scope: a RoleBinding's grant does not do", async () => {
    await start(ENFORCING, [
      ...POD_RULES,
      { apiGroups: [''], resources: ['namespaces/finalizers'], verbs: ['update'] },
    ]);
    const status = await statusOf(createPod(ownedPod(true, { apiVersion: 'v1', kind: 'Namespace' })), 403);
    assert.match(status.message, new RegExp(FINALIZERS_REFUSED.replace(/[()]/g, '\\$&')));
    const checks = server!
      .usage(SA)
      .filter((u) => u.resource === 'namespaces' && u.subresource === 'finalizers');
    assert.deepEqual(
      checks.map((u) => [u.verb, u.namespace, u.allowed]),
      [['update', '', false]],
    );
  });

  it('is off by default, as in kind v0.29: blockOwnerDeletion needs no finalizers grant', async () => {
    await start({}, POD_RULES);
    const pod = await createPod(ownedPod(true));
    assert.equal(pod.metadata?.ownerReferences?.[0]?.blockOwnerDeletion, true);
  });

  it("refuses blockOwnerDeletion: true without update on the owner's finalizers, with kube's 403", async () => {
    await start(ENFORCING, POD_RULES);
    const status = await statusOf(createPod(ownedPod(true)), 403);
    assert.equal(status.reason, 'Forbidden');
    // admission.NewForbidden names the object by its generateName: no name exists yet.
    assert.equal(status.message, `pods "probe-" is forbidden: ${FINALIZERS_REFUSED}`);
    assert.deepEqual(status.details, { name: 'probe-', kind: 'pods' });
    assert.ok(
      server!
        .usage(SA)
        .some(
          (u) =>
            u.verb === 'update' &&
            u.resource === 'configmaps' &&
            u.subresource === 'finalizers' &&
            !u.allowed,
        ),
      'the refused finalizers check shows in the RBAC usage',
    );
  });

  it('admits it with update on <resource>/finalizers, and counts that grant as used', async () => {
    await start(ENFORCING, [...POD_RULES, FINALIZERS]);
    await createPod(ownedPod(true));
    assert.deepEqual(server!.rbacReport(SA).unused, []);
  });

  it("checks the finalizers grant against the owner's name", async () => {
    await start(ENFORCING, [...POD_RULES, { ...FINALIZERS, resourceNames: ['another'] }]);
    await statusOf(createPod(ownedPod(true)), 403);
    await start(ENFORCING, [...POD_RULES, { ...FINALIZERS, resourceNames: ['owner'] }]);
    await createPod(ownedPod(true));
  });

  it('needs only delete on the object when no reference blocks its owner', async () => {
    await start(ENFORCING, POD_RULES);
    await createPod(ownedPod(false));
    await createPod(ownedPod(undefined));
  });

  it('refuses any owner reference on an object the user cannot delete', async () => {
    await start(ENFORCING, [{ apiGroups: [''], resources: ['pods'], verbs: ['create'] }]);
    const status = await statusOf(createPod(ownedPod(false)), 403);
    assert.equal(
      status.message,
      `pods "probe-" is forbidden: cannot set an ownerRef on a resource you can't delete: , <nil>`,
    );
    await createPod({
      metadata: { name: 'unowned' },
      spec: { containers: [{ name: 'c', image: 'busybox' }] },
    });
  });

  it('checks an update only when it newly sets blockOwnerDeletion: true', async () => {
    await start(ENFORCING, [...POD_RULES, { apiGroups: [''], resources: ['pods'], verbs: ['patch'] }]);
    const pod = await admin.core.createNamespacedPod({ namespace: 'default', body: ownedPod(true) });
    const name = pod.metadata?.name ?? '';
    const patch = (body: object) =>
      runner.core.patchNamespacedPod({ namespace: 'default', name, body }, mergePatch);
    // Unchanged references: a label change passes without the finalizers grant.
    await patch({ metadata: { labels: { a: 'b' } } });
    await patch({ metadata: { ownerReferences: ownedPod(false).metadata?.ownerReferences } });
    const status = await statusOf(
      patch({ metadata: { ownerReferences: ownedPod(true).metadata?.ownerReferences } }),
      403,
    );
    assert.equal(status.message, `pods "${name}" is forbidden: ${FINALIZERS_REFUSED}`);
  });

  it('refuses a blocking reference to a kind the server does not serve', async () => {
    await start(ENFORCING, [...POD_RULES, FINALIZERS]);
    const body = ownedPod(true, { apiVersion: 'example.com/v1', kind: 'Widget' });
    const status = await statusOf(createPod(body), 403);
    assert.equal(
      status.message,
      'pods "probe-" is forbidden: cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion example.com/v1 Kind Widget: , no matches for kind "Widget" in version "example.com/v1"',
    );
  });
});

/**
 * `flowprobe run` (src/cli/run.ts → src/ci/run-once.ts) as a CI job runs it: a child process whose kubeconfig
 * is a ServiceAccount bound to exactly the shipped deploy/ci/flowprobe-run-rbac.yaml, against the local FAKE
 * cluster (test/support/fake-cluster: real busybox probes in network namespaces) with the
 * OwnerReferencesPermissionEnforcement admission plugin on, as OpenShift and hardened clusters run it
 * (kubernetes plugin/pkg/admission/gc/gc_admission.go): the run's probe pods block deletion of their
 * temporary Deployment owner, which needs `update` on deployments/finalizers. The namespace holds the owner
 * ConfigMap an earlier release's killed run left, past its deadline: the run deletes it, which is what the
 * role's ConfigMap grants are for.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { FlowResult } from '../../src/api/types.js';
import { serviceAccountUser, type KubeObject } from '../support/fake-apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster/index.js';
import { runCli, type CliResult } from '../support/run-cli.js';
import { createPolicy, k8s, startWeb } from '../fake-cluster/helpers.js';

const RUN_USER = serviceAccountUser('ci', 'flowprobe');

function shippedRunRole(): KubeObject[] {
  const text = readFileSync(new URL('../../deploy/ci/flowprobe-run-rbac.yaml', import.meta.url), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJSON() as KubeObject);
}

/** The binding the README tells CI users to create. */
const binding: KubeObject = {
  apiVersion: 'rbac.authorization.k8s.io/v1',
  kind: 'ClusterRoleBinding',
  metadata: { name: 'flowprobe-run' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flowprobe-run' },
  subjects: [{ kind: 'ServiceAccount', name: 'flowprobe', namespace: 'ci' }],
};

const denyIngressToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'deny-web' },
  spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
};

const allowFrontendToWeb: k8s.V1NetworkPolicy = {
  metadata: { name: 'allow-frontend' },
  spec: {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [
      {
        _from: [{ podSelector: { matchLabels: { role: 'frontend' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
    ],
  },
};

const connectivityTest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 'web-ingress', namespace: 'shop' },
  spec: {
    timeoutSeconds: 2,
    flows: ['frontend', 'other'].map((role) => ({
      name: `${role}-to-web`,
      from: { labels: { role } },
      to: { podSelector: { matchLabels: { app: 'web' } } },
      port: 8080,
      expect: role === 'frontend' ? 'Allowed' : 'Denied',
    })),
  },
};

/** The owner ConfigMap of an earlier release's run, killed an hour ago (its deadline long past). */
const earlierReleaseLeftover: k8s.V1ConfigMap = {
  metadata: {
    name: 'flowprobe-run-old12',
    labels: { 'app.kubernetes.io/managed-by': 'flowprobe', 'flowprobe.dev/run-id': 'run-0ld00000' },
    annotations: { 'flowprobe.dev/expires-at': new Date(Date.now() - 3600_000).toISOString() },
  },
};

describe('flowprobe run under the shipped flowprobe-run ClusterRole, with OwnerReferencesPermissionEnforcement on', function () {
  this.timeout(180_000);
  let cluster: FakeCluster | undefined;
  let dir = '';
  let result: CliResult;

  before(async () => {
    cluster = await FakeCluster.start({
      cni: 'enforcing',
      apiServer: {
        namespaces: ['default', 'kube-system', 'ci', 'shop'],
        objects: [...shippedRunRole(), binding],
        enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'],
      },
    });
    await startWeb(cluster.core(), 'shop');
    await cluster.core().createNamespacedConfigMap({ namespace: 'shop', body: earlierReleaseLeftover });
    for (const policy of [denyIngressToWeb, allowFrontendToWeb]) await createPolicy(cluster, 'shop', policy);
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-run-rbac-'));
    writeFileSync(join(dir, 'kubeconfig'), cluster.server.kubeconfig(RUN_USER, 'shop'), { mode: 0o600 });
    writeFileSync(join(dir, 'tests.yaml'), stringify(connectivityTest));
    result = await runCli([
      ...['run', '-f', join(dir, 'tests.yaml'), '-o', 'json'],
      ...['--kubeconfig', join(dir, 'kubeconfig'), '--timeout', '2m'],
    ]);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets its probe pods admitted and every flow probed: exit 0, both verdicts Pass', () => {
    assert.equal(result.code, 0, `stderr: ${result.stderr}\nstdout: ${result.stdout}`);
    const rows = JSON.parse(result.stdout) as FlowResult[];
    assert.deepEqual(
      rows.map((r) => [r.flow, r.outcome, r.verdict]),
      [
        ['frontend-to-web', 'Connected', 'Pass'],
        ['other-to-web', 'Blocked', 'Pass'],
      ],
    );
  });

  it("passed the admission plugin's finalizers check on the temporary Deployment owner", () => {
    const checks = cluster!.server
      .usage(RUN_USER)
      .filter((u) => u.resource === 'deployments' && u.subresource === 'finalizers');
    assert.deepEqual(
      checks.map((u) => [u.verb, u.namespace, u.allowed]),
      [['update', 'shop', true]],
    );
  });

  it('needed no permission beyond the shipped ClusterRole, and used every grant in it', () => {
    const report = cluster!.server.rbacReport(RUN_USER);
    assert.deepEqual(report.denied, []);
    assert.deepEqual(report.unused, []);
    // A wildcard would cover any use and never show as unused: the role names everything.
    const rules = shippedRunRole().flatMap((o) => (o as { rules?: Record<string, string[]>[] }).rules ?? []);
    const named = rules.flatMap((r) => [...(r.verbs ?? []), ...(r.apiGroups ?? []), ...(r.resources ?? [])]);
    assert.ok(!named.includes('*') && !named.includes('secrets'), JSON.stringify(rules));
  });

  it("deleted the earlier release's leftover ConfigMap owner, and said so", async () => {
    assert.match(result.stderr, /deleted ConfigMap shop\/flowprobe-run-old12 \(run run-0ld00000\)/);
    const configMaps = await cluster!.core().listNamespacedConfigMap({ namespace: 'shop' });
    assert.deepEqual(configMaps.items, []);
  });

  it('leaves no probe pod and no Deployment behind', async () => {
    const pods = await cluster!.core().listNamespacedPod({ namespace: 'shop' });
    assert.deepEqual(
      pods.items.map((p) => p.metadata?.name),
      ['web'],
    );
    const apps = cluster!.kubeConfig().makeApiClient(k8s.AppsV1Api);
    const deployments = await apps.listNamespacedDeployment({ namespace: 'shop' });
    assert.deepEqual(deployments.items, []);
  });
});

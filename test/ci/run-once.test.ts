/**
 * `flowprobe run` (src/cli/run.ts → src/ci/run-once.ts) as a CI job runs it: a child process whose kubeconfig
 * is a ServiceAccount bound to exactly the shipped deploy/ci/flowprobe-run-rbac.yaml, against the local FAKE
 * cluster (test/support/fake-cluster: real busybox probes in network namespaces) with the
 * OwnerReferencesPermissionEnforcement admission plugin on, as OpenShift and hardened clusters run it
 * (kubernetes plugin/pkg/admission/gc/gc_admission.go): the run's probe pods block deletion of their
 * temporary Deployment owner, which needs `update` on deployments/finalizers. The namespace holds the owner
 * ConfigMap an earlier release's killed run left, past its deadline: the run deletes it, which is what the
 * role's ConfigMap grants are for. The cluster serves the policy kinds beyond NetworkPolicy (their CRDs from
 * test/fixtures/policy-crds/) and holds an Admin-tier ClusterNetworkPolicy Deny, which the FAKE CNI enforces:
 * the run reads those kinds, as the operator does, so its predictions are the operator's.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { FlowResult } from '../../src/api/types.js';
import { serviceAccountUser, type KubeObject } from '../support/fake-apiserver/index.js';
import { FakeCluster } from '../support/fake-cluster/index.js';
import { policyCrds } from '../support/policy-crds.js';
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

/**
 * The Admin tier is evaluated before NetworkPolicy (network-policy-api v0.2.0 site-src/api-overview.md,
 * "ClusterNetworkPolicy"): a quarantined frontend may not leave its pod, whatever allow-frontend says.
 */
const quarantine: KubeObject = {
  apiVersion: 'policy.networking.k8s.io/v1alpha2',
  kind: 'ClusterNetworkPolicy',
  metadata: { name: 'quarantine' },
  spec: {
    tier: 'Admin',
    priority: 5,
    subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { quarantined: 'true' } } } },
    egress: [{ name: 'cut-off', action: 'Deny', to: [{ namespaces: {} }] }],
  },
};

const flowFrom = (name: string, labels: Record<string, string>, expect: string) => ({
  name,
  from: { labels },
  to: { podSelector: { matchLabels: { app: 'web' } } },
  port: 8080,
  expect,
});

const connectivityTest = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 'web-ingress', namespace: 'shop' },
  spec: {
    timeoutSeconds: 2,
    flows: [
      flowFrom('frontend-to-web', { role: 'frontend' }, 'Allowed'),
      flowFrom('other-to-web', { role: 'other' }, 'Denied'),
      flowFrom('quarantined-to-web', { role: 'frontend', quarantined: 'true' }, 'Denied'),
    ],
  },
};

/**
 * Every policy kind's CRD but Calico's projectcalico.org/v3: where v3 is served the run reads it instead of
 * crd.projectcalico.org/v1 (src/kube/policy-kinds.ts, kindsToCache), so one cluster walks the grants of
 * one of the two; test/kube/extra-policies.test.ts shows v3 taking v1's place.
 */
const servedPolicyCrds = policyCrds().filter(
  (c) => (c.spec as { group: string }).group !== 'projectcalico.org',
);

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
        objects: [...shippedRunRole(), binding, ...servedPolicyCrds],
        enableAdmissionPlugins: ['OwnerReferencesPermissionEnforcement'],
      },
    });
    await cluster.server.create(quarantine);
    await startWeb(cluster.core(), 'shop');
    await cluster.core().createNamespacedConfigMap({ namespace: 'shop', body: earlierReleaseLeftover });
    for (const policy of [denyIngressToWeb, allowFrontendToWeb]) await createPolicy(cluster, 'shop', policy);
    await cluster.cni.sync();
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-run-rbac-'));
    writeFileSync(join(dir, 'kubeconfig'), cluster.server.kubeconfig(RUN_USER, 'shop'), { mode: 0o600 });
    writeFileSync(join(dir, 'tests.yaml'), stringify(connectivityTest));
    result = await runCli([
      ...['run', '-f', join(dir, 'tests.yaml'), '-o', 'json'],
      ...['--kubeconfig', join(dir, 'kubeconfig'), '--timeout', '2m'],
      ...['--report', join(dir, 'report.html')],
    ]);
  });

  after(async () => {
    await cluster?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('gets its probe pods admitted and every flow probed: exit 0, every verdict Pass', () => {
    assert.equal(result.code, 0, `stderr: ${result.stderr}\nstdout: ${result.stdout}`);
    const rows = JSON.parse(result.stdout) as FlowResult[];
    assert.deepEqual(
      rows.map((r) => [r.flow, r.outcome, r.verdict]),
      [
        ['frontend-to-web', 'Connected', 'Pass'],
        ['other-to-web', 'Blocked', 'Pass'],
        ['quarantined-to-web', 'Blocked', 'Pass'],
      ],
    );
  });

  it('writes the HTML report of the run: each flow named by who probed what, with its verdict', () => {
    const page = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(page, /0 of 3 flows did not pass/);
    const rows = page.split('<tr id="flow-').slice(1);
    for (const flow of ['frontend-to-web', 'other-to-web', 'quarantined-to-web']) {
      const row = rows.find((r) => r.includes(`<th scope="row">${flow}</th>`)) ?? '';
      assert.match(row, /<td>shop\/probe\{role=frontend|<td>shop\/probe\{role=other/, row);
      assert.match(row, /<td>shop\/\{app=web\}/, row);
      assert.match(row, /<td>✓ Pass<\/td>/, row);
    }
  });

  it('predicts through the Admin tier: the quarantined frontend, which NetworkPolicy alone allows, is Denied', () => {
    const rows = JSON.parse(result.stdout) as FlowResult[];
    const quarantined = rows.find((r) => r.flow === 'quarantined-to-web');
    assert.equal(quarantined?.predicted, 'Denied', JSON.stringify(quarantined));
    assert.deepEqual(
      rows.map((r) => [r.flow, r.predicted]),
      [
        ['frontend-to-web', 'Allowed'],
        ['other-to-web', 'Denied'],
        ['quarantined-to-web', 'Denied'],
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
    // projectcalico.org/v3 is not served here (servedPolicyCrds says why): its grants are walked where it is,
    // but for tiers and tier.* that only Calico's own API server consults (deploy/ci/flowprobe-run-rbac.yaml).
    assert.deepEqual(
      report.unused.filter((g) => g.group !== 'projectcalico.org'),
      [],
    );
    assert.ok(report.unused.length > 0, 'the projectcalico.org grants, unused here, are still in the role');
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

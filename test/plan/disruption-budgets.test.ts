// A probe pod borrows a workload's labels, so every PodDisruptionBudget over those labels selects it. The
// disruption controller then reads the scale of the probe pod's controller, its ConnectivityTest, for
// budgets with maxUnavailable or a percentage minAvailable (kubernetes pkg/controller/disruption/
// disruption.go, getExpectedScale → getScaleController). Without a scale subresource that read fails, the
// budget's sync fails, and failSafe sets disruptionsAllowed to 0: `kubectl drain` blocks while a probe
// runs. Proven here against the FAKE API server (the shipped CRD, served with its scale subresource as
// apiextensions-apiserver serves it) and the FAKE disruption controller (test/support/fake-cluster). The
// same for `flowprobe run`, whose probe pods a paused Deployment with no replicas controls.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { probePod, type PodOwner } from '../../src/plan/probe-pod.js';
import { runOwnerDeployment } from '../../src/plan/run-owner.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import {
  FakeDisruptionController,
  IdentityClient,
  type BudgetStatus,
} from '../support/fake-cluster/index.js';

const NS = 'shop';
const SHIPPED_CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;

/** The CRD as it was before the scale subresource (and its spec.replicas field) existed. */
function crdWithoutScale(): KubeObject {
  const crd = structuredClone(SHIPPED_CRD) as KubeObject & {
    spec: { versions: { subresources: { scale?: unknown } }[] };
  };
  for (const version of crd.spec.versions) delete version.subresources.scale;
  return crd;
}

// What `kubectl get pod -o yaml` shows on a Deployment's pod: the probe copies these labels exactly.
const WEB_LABELS = { app: 'web', 'pod-template-hash': '6d4cf56db6' };

const BUDGETS = {
  'web-max-unavailable': { maxUnavailable: 1 },
  'web-half': { minAvailable: '50%' },
};

const ready = (status: 'True' | 'False', reason?: string) => ({
  phase: 'Running',
  conditions: [{ type: 'Ready', status, ...(reason ? { reason } : {}) }],
});

/** A ReplicaSet of 3 ready `web` pods, and the two budgets over their labels. */
async function workloadWithBudgets(server: FakeApiServer, admin: IdentityClient): Promise<void> {
  const rs = await server.create({
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-6d4cf56db6', namespace: NS },
    spec: {
      replicas: 3,
      selector: { matchLabels: WEB_LABELS },
      template: { metadata: { labels: WEB_LABELS }, spec: { containers: [{ name: 'web', image: 'web:1' }] } },
    },
  });
  for (let i = 0; i < 3; i++) {
    const owner = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      name: rs.metadata.name!,
      uid: rs.metadata.uid!,
    };
    const pod = await server.create({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `web-6d4cf56db6-${i}`,
        namespace: NS,
        labels: WEB_LABELS,
        ownerReferences: [{ ...owner, controller: true, blockOwnerDeletion: true }],
      },
      spec: { containers: [{ name: 'web', image: 'web:1' }] },
    });
    await admin.put(`/api/v1/namespaces/${NS}/pods/${pod.metadata.name}/status`, {
      ...pod,
      status: ready('True'),
    });
  }
  for (const [name, spec] of Object.entries(BUDGETS))
    await server.create({
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name, namespace: NS },
      spec: { ...spec, selector: { matchLabels: { app: 'web' } } },
    });
}

/**
 * A ConnectivityTest probing from `web`, and the probe pod the operator creates for it (src/plan); with
 * `owner`, the pod `flowprobe run` creates, controlled by its temporary owner instead (src/ci/run-once.ts).
 */
async function probeFromWeb(
  server: FakeApiServer,
  admin: IdentityClient,
  owner?: PodOwner,
): Promise<KubeObject> {
  const test = await server.create({
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 'web-egress', namespace: NS },
    spec: {
      flows: [
        {
          name: 'to-api',
          from: { labels: { app: 'web' } },
          to: { service: 'api' },
          port: 80,
          expect: 'Allowed',
        },
      ],
    },
  });
  const manifest = probePod({
    test: { name: 'web-egress', namespace: NS, uid: test.metadata.uid! },
    runId: 'run-1',
    identityLabels: WEB_LABELS,
    identityName: 'web',
    image: 'busybox:1.37.0',
    command: ['sh', '-c', 'probe script', 'flowprobe-probe'],
    deadlineSeconds: 60,
    probeCount: 1,
    ...(owner ? { owner } : {}),
  });
  const pod = await server.create(manifest as unknown as KubeObject);
  // Running, and never ready: the readiness gate flowprobe.dev/never-ready is never set.
  await admin.put(`/api/v1/namespaces/${NS}/pods/${pod.metadata.name}/status`, {
    ...pod,
    status: ready('False', 'ReadinessGatesNotReady'),
  });
  return pod;
}

const numbers = ({ expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed }: BudgetStatus) => ({
  expectedPods,
  desiredHealthy,
  currentHealthy,
  disruptionsAllowed,
});

async function syncAll(controller: FakeDisruptionController): Promise<Record<string, BudgetStatus>> {
  const out: Record<string, BudgetStatus> = {};
  for (const name of Object.keys(BUDGETS)) out[name] = await controller.sync(NS, name);
  return out;
}

interface Env {
  server: FakeApiServer;
  controller: FakeDisruptionController;
  admin: IdentityClient;
}

/** Starts the FAKE API server with `crd`; `env.server` is set first, so `after` can always stop it. */
async function start(env: Partial<Env>, crd: KubeObject): Promise<Env> {
  const server = await FakeApiServer.start({ namespaces: ['default', 'kube-system', NS], objects: [crd] });
  env.server = server;
  const controller = await FakeDisruptionController.start(server);
  const admin = new IdentityClient(server.url, server.tokenFor('system:admin'));
  await workloadWithBudgets(server, admin);
  return { server, controller, admin };
}

describe('PodDisruptionBudgets over the labels a probe pod borrows (FAKE disruption controller)', () => {
  describe('with the shipped CRD (scale subresource, spec.replicas always 0)', () => {
    const started: Partial<Env> = {};
    let env: Env;
    before(async () => {
      env = await start(started, SHIPPED_CRD);
    });
    after(() => started.server?.stop());

    it('keeps maxUnavailable: 1 and minAvailable: 50% computing, with disruptionsAllowed unchanged', async () => {
      const before = await syncAll(env.controller);
      assert.deepEqual(numbers(before['web-max-unavailable']!), {
        expectedPods: 3,
        desiredHealthy: 2,
        currentHealthy: 3,
        disruptionsAllowed: 1,
      });
      assert.deepEqual(numbers(before['web-half']!), {
        expectedPods: 3,
        desiredHealthy: 2, // 50% of 3, rounded up
        currentHealthy: 3,
        disruptionsAllowed: 1,
      });

      const probe = await probeFromWeb(env.server, env.admin);
      const selected = await env.admin.get<{ items: KubeObject[] }>(
        `/api/v1/namespaces/${NS}/pods?labelSelector=app%3Dweb`,
      );
      assert.ok(
        selected.items.some((p) => p.metadata.name === probe.metadata.name),
        'the budgets select the probe pod',
      );

      const during = await syncAll(env.controller);
      for (const name of Object.keys(BUDGETS)) {
        assert.deepEqual(numbers(during[name]!), numbers(before[name]!), name);
        const condition = during[name]!.conditions.find((c) => c.type === 'DisruptionAllowed');
        assert.equal(condition?.status, 'True', `${name}: ${JSON.stringify(condition)}`);
      }
    });

    it('refuses `kubectl scale ctest --replicas=2` (422) and keeps the scale at 0', async () => {
      const path = `/apis/flowprobe.dev/v1alpha1/namespaces/${NS}/connectivitytests/web-egress/scale`;
      const res = await fetch(`${env.server.url}${path}`, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${env.server.tokenFor('system:admin')}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({ spec: { replicas: 2 } }),
      });
      const body = (await res.json()) as { message: string };
      assert.equal(res.status, 422, body.message);
      assert.match(body.message, /spec\.replicas/);
      const scale = await env.admin.get<{ spec: { replicas: number } }>(path);
      assert.equal(scale.spec.replicas, 0);
    });
  });

  describe('with the CRD before the scale subresource (the old product)', () => {
    const started: Partial<Env> = {};
    let env: Env;
    before(async () => {
      env = await start(started, crdWithoutScale());
    });
    after(() => started.server?.stop());

    it('fails both budgets while a probe pod exists: disruptionsAllowed 0, reason SyncFailed', async () => {
      const before = await syncAll(env.controller);
      assert.deepEqual(
        Object.values(before).map((s) => s.disruptionsAllowed),
        [1, 1],
      );
      await probeFromWeb(env.server, env.admin);
      const during = await syncAll(env.controller);
      for (const name of Object.keys(BUDGETS)) {
        assert.equal(during[name]!.disruptionsAllowed, 0, name);
        const condition = during[name]!.conditions.find((c) => c.type === 'DisruptionAllowed');
        assert.equal(condition?.reason, 'SyncFailed');
        assert.match(
          String(condition.message),
          /could not find scale subresource for flowprobe\.dev\/v1alpha1, Resource=connectivitytests/,
        );
      }
    });
  });

  describe("during `flowprobe run` (probe pods controlled by the run's paused, replicas-0 Deployment)", () => {
    const started: Partial<Env> = {};
    let env: Env;
    before(async () => {
      env = await start(started, SHIPPED_CRD);
    });
    after(() => started.server?.stop());

    // A Deployment that controls a pod directly is not found by getPodDeployment (it follows a ReplicaSet
    // to its Deployment) nor by the ReplicaSet/StatefulSet finders, so getScaleController reads
    // deployments/scale: 0, with the Deployment's UID (kubernetes pkg/controller/disruption/disruption.go).
    it("keeps both budgets computing while the run's probe pod exists, with disruptionsAllowed unchanged", async () => {
      const before = await syncAll(env.controller);
      const manifest = runOwnerDeployment({
        namespace: NS,
        runId: 'run-1',
        image: 'busybox:1.37.0',
        expiresAt: new Date(Date.now() + 600_000).toISOString(),
      });
      const deployment = await env.server.create(manifest as unknown as KubeObject);
      const owner = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment.metadata.name!,
        uid: deployment.metadata.uid!,
      };
      const probe = await probeFromWeb(env.server, env.admin, owner);
      assert.equal(probe.metadata.ownerReferences?.[0]?.kind, 'Deployment');
      const during = await syncAll(env.controller);
      for (const name of Object.keys(BUDGETS)) {
        assert.deepEqual(numbers(during[name]!), numbers(before[name]!), name);
        const condition = during[name]!.conditions.find((c) => c.type === 'DisruptionAllowed');
        assert.equal(condition?.status, 'True', `${name}: ${JSON.stringify(condition)}`);
      }
    });
  });

  describe('during `flowprobe run` of earlier releases (probe pods controlled by a ConfigMap, which has no scale)', () => {
    const started: Partial<Env> = {};
    let env: Env;
    before(async () => {
      env = await start(started, SHIPPED_CRD);
    });
    after(() => started.server?.stop());

    it("fails both budgets while the run's probe pod exists, and they recover once it is deleted", async () => {
      const cm = await env.server.create({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'flowprobe-run-x1', namespace: NS },
      });
      const owner = { apiVersion: 'v1', kind: 'ConfigMap', name: 'flowprobe-run-x1', uid: cm.metadata.uid! };
      const probe = await probeFromWeb(env.server, env.admin, owner);
      const during = await syncAll(env.controller);
      for (const status of Object.values(during)) {
        assert.equal(status.disruptionsAllowed, 0);
        const condition = status.conditions.find((c) => c.type === 'DisruptionAllowed');
        assert.match(
          String(condition?.message),
          /could not find scale subresource for \/v1, Resource=configmaps/,
        );
      }
      const res = await fetch(`${env.server.url}/api/v1/namespaces/${NS}/pods/${probe.metadata.name}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${env.server.tokenFor('system:admin')}` },
      });
      assert.equal(res.status, 200);
      const after = await syncAll(env.controller);
      assert.deepEqual(
        Object.values(after).map((s) => s.disruptionsAllowed),
        [1, 1],
      );
    });
  });
});

// The disruption controller looks a pod's controller up in the pod's own namespace: getExpectedScale calls
// each finder with pod.Namespace, and getScaleController reads dc.scaleNamespacer.Scales(namespace).Get
// (kubernetes pkg/controller/disruption/disruption.go). A cluster-scoped ClusterConnectivityTest has no
// namespaced scale path: NotFound, "found no controllers for pod", failSafe — whatever its CRD serves.
describe("PodDisruptionBudgets over a ClusterConnectivityTest's probe pod (cluster-scoped controller)", () => {
  const started: Partial<Env> = {};
  let env: Env;
  before(async () => {
    const cluster = parse(
      readFileSync(
        new URL('../../crds/clusterconnectivitytests.flowprobe.dev.yaml', import.meta.url),
        'utf8',
      ),
    ) as KubeObject;
    env = await start(started, SHIPPED_CRD);
    await env.server.create(cluster);
  });
  after(() => started.server?.stop());

  it('fails both budgets while its probe pod exists: disruptionsAllowed 0, no controller found', async () => {
    const test = await env.server.create({
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ClusterConnectivityTest',
      metadata: { name: 'tenants' },
      spec: {
        namespaceSelector: {},
        flows: [
          {
            name: 'to-api',
            from: { labels: { app: 'web' } },
            to: { service: 'api' },
            port: 80,
            expect: 'Allowed',
          },
        ],
      },
    });
    const owner = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ClusterConnectivityTest',
      name: 'tenants',
      uid: test.metadata.uid!,
    };
    assert.deepEqual(
      Object.values(await syncAll(env.controller)).map((s) => s.disruptionsAllowed),
      [1, 1],
    );
    await probeFromWeb(env.server, env.admin, owner);
    const during = await syncAll(env.controller);
    for (const name of Object.keys(BUDGETS)) {
      assert.equal(during[name]!.disruptionsAllowed, 0, name);
      const condition = during[name]!.conditions.find((c) => c.type === 'DisruptionAllowed');
      assert.equal(condition?.reason, 'SyncFailed');
      assert.match(String(condition.message), /found no controllers for pod/);
    }
  });
});

/**
 * The operator cleans up after a `flowprobe run` killed with -9 (a cancelled CI job) in a cluster where it
 * runs: its reaper deletes that run's probe pods once past the deadline the pods carry
 * (`flowprobe.dev/expires-at`, written by the run), and leaves the pods of a run still in its time alone.
 * It runs under the shipped RBAC (deploy/rbac.yaml): it reads no Deployments; the next `flowprobe run`
 * deletes the leftover owner Deployment (test/ci/run-keeps-its-word.test.ts).
 */
import { strict as assert } from 'node:assert';
import { runOwnerDeployment } from '../../src/plan/run-owner.js';
import { k8s, workloadPod } from '../fake-cluster/helpers.js';
import {
  clients,
  eventually,
  OPERATOR_USER,
  OperatorUnderTest,
  probePods,
  useFakeCluster,
} from './harness.js';

const NS = 'ci';

describe("the operator's reaper and a killed flowprobe run (FAKE cluster)", function () {
  this.timeout(60_000);
  const env = useFakeCluster('enforcing');

  /** A probe pod as `flowprobe run` makes it: its Deployment controls it, it carries the run's deadline. */
  async function runPod(name: string, owner: { name: string; uid: string }, expiresAt: Date): Promise<void> {
    const body = workloadPod(name, { app: 'web', 'flowprobe.dev/run-id': `run-${name}` });
    body.metadata = {
      name,
      labels: body.metadata?.labels ?? {},
      annotations: { 'flowprobe.dev/expires-at': expiresAt.toISOString() },
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'Deployment', ...owner, controller: true, blockOwnerDeletion: true },
      ],
    };
    await clients(env.cluster).core.createNamespacedPod({ namespace: NS, body });
  }

  it('deletes the probe pods of a run past its deadline, and only those', async () => {
    const { core } = clients(env.cluster);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    const apps = env.cluster.kubeConfig().makeApiClient(k8s.AppsV1Api);
    // Deadlines two minutes ago (past the reaper's minute for clock skew) and in an hour.
    const deadlines = { killed: Date.now() - 120_000, live: Date.now() + 3600_000 };
    for (const [run, deadline] of Object.entries(deadlines)) {
      const expiresAt = new Date(deadline);
      const manifest = runOwnerDeployment({
        namespace: NS,
        runId: `run-${run}`,
        image: 'busybox:1.37.0',
        expiresAt: expiresAt.toISOString(),
      });
      const d = await apps.createNamespacedDeployment({
        namespace: NS,
        body: manifest as unknown as k8s.V1Deployment,
      });
      await runPod(run, { name: d.metadata?.name ?? '', uid: d.metadata?.uid ?? '' }, expiresAt);
    }

    const operator = new OperatorUnderTest(env.cluster, 'reaper', false);
    await operator.start();
    env.alsoStop(() => operator.stop());

    await eventually(
      async () => !(await probePods(env.cluster, NS)).some((p) => p.metadata?.name === 'killed'),
      "the killed run's probe pod to be deleted",
    );
    assert.deepEqual(
      (await probePods(env.cluster, NS)).map((p) => p.metadata?.name),
      ['live'],
    );
    assert.deepEqual(env.cluster.server.rbacReport(OPERATOR_USER).denied, []);
  });
});

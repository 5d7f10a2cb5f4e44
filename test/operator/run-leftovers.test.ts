/**
 * The operator cleans up after a `flowprobe run` killed with -9 (a cancelled CI job) in a cluster where it
 * runs: its reaper deletes that run's probe pods once past the deadline the pods carry
 * (`flowprobe.dev/expires-at`, written by the run), and leaves the pods of a run still in its time alone.
 * It runs under the shipped RBAC (deploy/rbac.yaml): it reads no ConfigMaps; the next `flowprobe run`
 * deletes the leftover ConfigMap (test/ci/run-keeps-its-word.test.ts).
 */
import { strict as assert } from 'node:assert';
import { workloadPod } from '../fake-cluster/helpers.js';
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

  /** A probe pod as `flowprobe run` makes it: its ConfigMap controls it, it carries the run's deadline. */
  async function runPod(name: string, owner: { name: string; uid: string }, expiresAt: Date): Promise<void> {
    const body = workloadPod(name, { app: 'web', 'flowprobe.dev/run-id': `run-${name}` });
    body.metadata = {
      name,
      labels: body.metadata?.labels ?? {},
      annotations: { 'flowprobe.dev/expires-at': expiresAt.toISOString() },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'ConfigMap', ...owner, controller: true, blockOwnerDeletion: true },
      ],
    };
    await clients(env.cluster).core.createNamespacedPod({ namespace: NS, body });
  }

  it('deletes the probe pods of a run past its deadline, and only those', async () => {
    const { core } = clients(env.cluster);
    await core.createNamespace({ body: { metadata: { name: NS } } });
    const owners = await Promise.all(
      ['killed', 'live'].map(async (run) => {
        const cm = await core.createNamespacedConfigMap({
          namespace: NS,
          body: {
            metadata: {
              generateName: 'flowprobe-run-',
              labels: { 'app.kubernetes.io/managed-by': 'flowprobe', 'flowprobe.dev/run-id': `run-${run}` },
            },
          },
        });
        return { name: cm.metadata?.name ?? '', uid: cm.metadata?.uid ?? '' };
      }),
    );
    // Deadlines two minutes ago (past the reaper's minute for clock skew) and in an hour.
    await runPod('killed', owners[0]!, new Date(Date.now() - 120_000));
    await runPod('live', owners[1]!, new Date(Date.now() + 3600_000));

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

/**
 * `flowprobe run` keeps its word (issue 12, item 3): `--timeout` bounds the whole command, Ctrl-C stops
 * it within seconds without creating anything after the signal, and the leftovers of a run killed with
 * -9 are deleted by the next run once past their deadline. The CLI runs as a child process, as a CI job
 * runs it, against the local FAKE cluster (test/support/fake-cluster: real busybox probes in network
 * namespaces where root allows). Every flow is denied by policy, so each probe pod runs for a few
 * seconds (its attempts time out), and the run's pods go one at a time (--concurrency 1). Bounds are
 * asserted as outcomes: the process has exited by then, or the test fails saying so.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runOwnerDeployment } from '../../src/plan/run-owner.js';
import type { FakeCluster } from '../support/fake-cluster/index.js';
import { runCli, startCli, type CliResult, type RunningCli } from '../support/run-cli.js';
import {
  k8s,
  connectivityTest,
  denyIngressToWeb,
  eventually,
  flow,
  probePods,
  seedNamespace,
  useFakeCluster,
} from '../operator/harness.js';

const NS = 'shop';
const EXPIRES_AT = 'flowprobe.dev/expires-at';
const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

describe('flowprobe run keeps its word (FAKE cluster)', function () {
  this.timeout(120_000);
  const env = useFakeCluster('enforcing');
  let dir = '';
  let kubeconfig = '';

  /** A ConnectivityTest file of `identities` identities, each with one denied (so slow) flow. */
  function testFile(name: string, identities: number): string {
    const flows = Array.from({ length: identities }, (_, i) => flow(`r${i}-kept-out`, `r${i}`, 'Denied'));
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, stringify(connectivityTest(NS, name, flows)));
    return file;
  }

  const run = (file: string, ...flags: string[]) =>
    startCli(['run', '-f', file, '--kubeconfig', kubeconfig, '--concurrency', '1', ...flags]);

  before(async () => {
    await seedNamespace(env.cluster, NS, [denyIngressToWeb]);
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-run-word-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, env.cluster.server.kubeconfig(), { mode: 0o600 });
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('--timeout 10s bounds the whole command: it exits 2 within 10 s, cleaned up, where probing needs ~40 s', async () => {
    const r = await exitsWithin(run(testFile('slow', 6), '--timeout', '10s'), 25_000, 'its --timeout of 10s');
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /timed out after 10s/);
    assert.deepEqual(await probePodNames(env.cluster), []);
    assert.deepEqual(await ownerDeployments(env.cluster), []);
  });

  // With the served policy kinds unknown (client-go's ErrGroupDiscoveryFailed, discovery/discovery_client.go),
  // a prediction would ignore Cilium/Calico/ClusterNetworkPolicy objects: the run stops and says which
  // discovery failed, not that the cluster cannot be reached.
  it('exits 2 naming the failed discovery when discovery of the policy kinds fails', async () => {
    env.cluster.server.faults.failNext({ path: '/apis', times: 1000, code: 503 });
    try {
      const r = await exitsWithin(run(testFile('undiscovered', 1), '--timeout', '1m'), 30_000, 'its failure');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /discovery of the policy kinds failed \(GET \/apis\)/);
      assert.doesNotMatch(r.stderr, /cannot reach/);
    } finally {
      env.cluster.server.faults.clear();
    }
  });

  it('Ctrl-C exits within 5 s, creates no pod after the signal, and deletes the one whose create was in flight', async () => {
    const creates = () => env.cluster.server.requests({ verb: 'create', resource: 'pods', namespace: NS });
    const before = creates().length;
    // The API server takes 2 s to answer a pod create: the signal lands while the first is in flight.
    env.cluster.server.faults.addLatency(2_000, { verb: 'create', resource: 'pods', namespace: NS });
    try {
      const cli = run(testFile('interrupted', 4), '--timeout', '5m');
      await eventually(
        () => Promise.resolve(creates().length > before),
        'the run to create its first probe pod',
      );
      const atSignal = creates().length;
      cli.child.kill('SIGINT');
      const r = await exitsWithin(cli, 15_000, 'a few seconds of Ctrl-C');
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /interrupted \(SIGINT\)/);
      assert.equal(creates().length - atSignal, 0, 'pod creates the API server received after the signal');
      assert.deepEqual(await probePodNames(env.cluster), []);
      assert.deepEqual(await ownerDeployments(env.cluster), []);
    } finally {
      env.cluster.server.faults.clear();
    }
  });

  it('when clean-up cannot finish in its share, exits anyway, naming what is left and how it goes', async () => {
    const creates = () => env.cluster.server.requests({ verb: 'create', resource: 'pods', namespace: NS });
    const before = creates().length;
    // Deleting a Deployment takes the API server 10 s: longer than clean-up's share (5 s of --timeout 20s).
    env.cluster.server.faults.addLatency(10_000, { verb: 'delete', resource: 'deployments', namespace: NS });
    try {
      const cli = run(testFile('stuck-cleanup', 2), '--timeout', '20s');
      await eventually(
        () => Promise.resolve(creates().length > before),
        'the run to create its first probe pod',
      );
      cli.child.kill('SIGINT');
      const r = await exitsWithin(cli, 15_000, "clean-up's share of 5 s");
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /could not delete in time: deployment shop\/flowprobe-run-[a-z0-9]+\. The next flowprobe run in the namespace deletes them after \S+ \(the operator deletes the probe pods\), or now: kubectl delete deployment,pod -A -l flowprobe\.dev\/run-id=run-[0-9a-f]+/,
      );
    } finally {
      env.cluster.server.faults.clear();
      for (const name of await ownerDeployments(env.cluster))
        await apps(env.cluster).deleteNamespacedDeployment({ namespace: NS, name });
    }
  });

  it('after kill -9, the next run deletes the leftover Deployment and its pods once past their deadline, and leaves a live run alone', async () => {
    const killed = run(testFile('killed', 2), '--timeout', '5m');
    await eventually(async () => (await probePodNames(env.cluster)).length > 0, 'the run to probe');
    killed.child.kill('SIGKILL');
    await killed.result;
    const [leftover] = await ownerDeployments(env.cluster);
    assert.ok(leftover, 'the killed run left its Deployment');
    assert.ok((await probePodNames(env.cluster)).length > 0, 'and its probe pod');
    const live = await createLiveRunDeployment(env.cluster);
    // Time passes: the killed run's deadline (start + 5m, as it wrote it) is now two minutes gone.
    await setExpiry(env.cluster, leftover, new Date(Date.now() - 120_000));

    const next = await runCli([
      'run',
      '-f',
      testFile('next', 1),
      '--kubeconfig',
      kubeconfig,
      '--timeout',
      '2m',
    ]);

    assert.equal(next.code, 0, next.stderr);
    assert.match(next.stderr, new RegExp(`deleted Deployment ${NS}/${leftover} \\(run run-[0-9a-f]+\\)`));
    assert.deepEqual(await ownerDeployments(env.cluster), [live]);
    // Deleting the Deployment garbage-collects the pods it controls.
    await eventually(async () => (await probePodNames(env.cluster)).length === 0, 'the leftover pods to go');
  });
});

/** The command's result, or a failure naming the bound it broke (it is killed then). */
async function exitsWithin(cli: RunningCli, ms: number, bound: string): Promise<CliResult> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cli.child.kill('SIGKILL');
      reject(
        new Error(`flowprobe run was still running ${ms / 1000} s later, past ${bound}:\n${cli.stderr()}`),
      );
    }, ms);
  });
  try {
    return await Promise.race([cli.result, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function probePodNames(cluster: FakeCluster): Promise<string[]> {
  return (await probePods(cluster, NS)).map((p) => p.metadata?.name ?? '');
}

function apps(cluster: FakeCluster): k8s.AppsV1Api {
  return cluster.kubeConfig().makeApiClient(k8s.AppsV1Api);
}

/** flowprobe run's owner Deployments in the namespace, by name. */
async function ownerDeployments(cluster: FakeCluster): Promise<string[]> {
  const list = await apps(cluster).listNamespacedDeployment({
    namespace: NS,
    labelSelector: 'app.kubernetes.io/managed-by=flowprobe,flowprobe.dev/run-id',
  });
  return list.items.map((d) => d.metadata?.name ?? '').sort();
}

/** The owner Deployment of another run, still within its deadline (a CI job running right now). */
async function createLiveRunDeployment(cluster: FakeCluster): Promise<string> {
  const body = runOwnerDeployment({
    namespace: NS,
    runId: 'run-live0000',
    image: 'busybox:1.37.0',
    expiresAt: new Date(Date.now() + 3600_000).toISOString(),
  });
  const d = await apps(cluster).createNamespacedDeployment({
    namespace: NS,
    body: body as unknown as k8s.V1Deployment,
  });
  return d.metadata?.name ?? '';
}

/** A merge patch: it sets the annotation whether or not the run wrote one. */
async function setExpiry(cluster: FakeCluster, name: string, at: Date): Promise<void> {
  const body = { metadata: { annotations: { [EXPIRES_AT]: at.toISOString() } } };
  await apps(cluster).patchNamespacedDeployment({ namespace: NS, name, body }, mergePatch);
}

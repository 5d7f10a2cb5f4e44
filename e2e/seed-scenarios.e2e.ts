/**
 * The seed scenarios (examples/, with two of their deliberate mistakes) on a cluster: the operator's
 * status and `flowprobe run`'s JSON and JUnit must both show, flow by flow, the verdicts and diagnoses of
 * e2e/expectations.ts. The cluster comes from e2e/providers: kind (or any cluster) with KUBECONFIG, else
 * the FAKE local cluster with the operator in process; the bodies below never ask which.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FlowResult } from '../src/api/types.js';
import { runCli, type CliResult } from '../test/support/run-cli.js';
import { assertResults, expectationsFor, flowsWith } from './expectations.js';
import { chooseProvider, type E2eCluster } from './providers/index.js';
import { servesAppsResource, waitForReadyPods, waitForRun } from './support/cluster-reads.js';
import { createAll, FIXTURES_DIR, fixtureObjects } from './support/fixtures.js';

const READY_MS = 180_000;
const RUN_MS = 240_000;
const TESTS = [
  { namespace: 'production', name: 'api-baseline' },
  { namespace: 'monitoring', name: 'scrape-paths' },
] as const;

describe('e2e: the seed scenarios on a cluster', function () {
  this.timeout(RUN_MS + 60_000);
  let cluster: E2eCluster | undefined;
  const given = (): E2eCluster => {
    assert.ok(cluster, 'no cluster');
    return cluster;
  };

  before(async function () {
    const chosen = await chooseProvider();
    if ('skip' in chosen) {
      console.log(`      skipped: ${chosen.skip}`);
      this.skip();
    }
    cluster = chosen.cluster;
    console.log(`      cluster: ${cluster.description}`);
    await applyScenario(cluster);
  });

  after(async () => {
    await cluster?.stop();
    if (process.env.FLOWPROBE_E2E_ARTIFACTS === undefined)
      rmSync(artifactsDir(), { recursive: true, force: true });
  });

  describe('the operator', () => {
    for (const { namespace, name } of TESTS) {
      it(`publishes the expected verdict, outcome, prediction and diagnosis for every flow of ${namespace}/${name}`, async () => {
        const test = await waitForRun(given().kubeConfig(), namespace, name, RUN_MS);
        assertResults(expectationsFor(given().enforcement), namespace, name, test.status?.results ?? []);
      });

      it(`sets ${namespace}/${name}'s summary and Passing condition from those verdicts`, async () => {
        const table = expectationsFor(given().enforcement);
        const test = await waitForRun(given().kubeConfig(), namespace, name, RUN_MS);
        const failed = flowsWith(table, 'Fail', namespace, name);
        const errors = flowsWith(table, 'Error', namespace, name);
        assert.deepEqual(test.status?.summary, {
          flows: test.spec.flows.length,
          passed: flowsWith(table, 'Pass', namespace, name).length,
          failed: failed.length,
          errors: errors.length,
        });
        const passing = test.status.conditions?.find((c) => c.type === 'Passing');
        if (failed.length === 0) assert.notEqual(passing?.status, 'False', JSON.stringify(passing));
        else {
          assert.equal(passing?.status, 'False', JSON.stringify(passing));
          assert.equal(passing.reason, 'Drift');
          for (const flow of failed) assert.match(passing.message, new RegExp(`\\b${flow}\\b`));
        }
      });
    }
  });

  describe('flowprobe run -f e2e/fixtures --junit FILE --report FILE -o json', () => {
    let result: CliResult;
    let junitPath: string;
    let reportPath: string;

    before(async function () {
      // flowprobe run owns its probe pods through a temporary Deployment (src/plan/run-owner.ts).
      if (!(await servesAppsResource(given().kubeConfig(), 'deployments'))) {
        console.log(
          `      skipped: ${given().description} does not serve apps/v1 deployments, which flowprobe run creates`,
        );
        this.skip();
      }
      // CI mode is for clusters without the operator: stop it, so the run stands on its own.
      await given().stopOperator();
      junitPath = join(artifactsDir(), 'flowprobe-run.xml');
      reportPath = join(artifactsDir(), 'flowprobe-run.html');
      result = await runCli([
        ...['run', '-f', FIXTURES_DIR, '--junit', junitPath, '--report', reportPath, '-o', 'json'],
        ...['--kubeconfig', given().kubeconfigPath, '--timeout', '5m'],
      ]);
    });

    it('exits 1, because flows fail', () => {
      assert.equal(result.code, 1, `stderr: ${result.stderr}\nstdout: ${result.stdout}`);
    });

    it('prints the same verdicts, outcomes, predictions and diagnoses as JSON', () => {
      const rows = JSON.parse(result.stdout) as (FlowResult & { namespace: string; test: string })[];
      for (const { namespace, name } of TESTS) {
        const mine = rows.filter((r) => r.namespace === namespace && r.test === name);
        assertResults(expectationsFor(given().enforcement), namespace, name, mine);
      }
    });

    it('writes the HTML report although flows fail: a row per flow, each failed one marked ✗ Fail', () => {
      const page = readFileSync(reportPath, 'utf8');
      const rows = page.split('<tr id="flow-').slice(1);
      const table = expectationsFor(given().enforcement);
      for (const { namespace, name } of TESTS) {
        for (const verdict of ['Pass', 'Fail', 'Error'] as const) {
          for (const flow of flowsWith(table, verdict, namespace, name)) {
            const row = rows.find(
              (r) =>
                r.includes(`<td>${namespace}/${name}</td>`) && r.includes(`<th scope="row">${flow}</th>`),
            );
            assert.ok(row, `a row for ${namespace}/${name} ${flow}`);
            if (verdict === 'Fail') assert.match(row, /<td>✗ Fail<\/td>/);
          }
        }
      }
    });

    it('writes JUnit with one testsuite per test, a <failure> per failed flow and an <error> per erring one', () => {
      const xml = readFileSync(junitPath, 'utf8');
      const table = expectationsFor(given().enforcement);
      for (const { namespace, name } of TESTS) {
        const flows = (['Pass', 'Fail', 'Error'] as const).flatMap((v) =>
          flowsWith(table, v, namespace, name),
        ).length;
        const failures = flowsWith(table, 'Fail', namespace, name).length;
        const errors = flowsWith(table, 'Error', namespace, name).length;
        assert.match(
          xml,
          new RegExp(
            `<testsuite name="${namespace}/${name}" tests="${flows}" failures="${failures}" errors="${errors}"`,
          ),
        );
      }
      const diagnoses = [...xml.matchAll(/<failure type="Fail" message="([^"]*)"/g)].map((m) => m[1]);
      if (given().enforcement === 'ignored') {
        assert.ok(
          diagnoses.some((d) => d?.includes('the CNI is not enforcing NetworkPolicy')),
          xml,
        );
      }
    });
  });
});

/** Namespaces, workloads and policies first; the ConnectivityTests once their identities' pods run. */
async function applyScenario(cluster: E2eCluster): Promise<void> {
  const kc = cluster.kubeConfig();
  await createAll(kc, [
    ...fixtureObjects('00-namespaces.yaml'),
    ...fixtureObjects('10-workloads.yaml'),
    ...fixtureObjects('20-network-policies.yaml'),
  ]);
  await waitForReadyPods(kc, 'kube-system', 'k8s-app=kube-dns', READY_MS);
  await waitForReadyPods(kc, 'production', undefined, READY_MS);
  await waitForReadyPods(kc, 'monitoring', undefined, READY_MS);
  await createAll(kc, fixtureObjects('30-connectivity-tests.yaml'));
}

/** FLOWPROBE_E2E_ARTIFACTS (CI uploads it), else a fresh temporary directory. */
function artifactsDir(): string {
  const dir = process.env.FLOWPROBE_E2E_ARTIFACTS ?? join(tmpdir(), `flowprobe-e2e-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

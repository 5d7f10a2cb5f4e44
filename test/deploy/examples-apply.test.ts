/**
 * `kubectl apply -f examples/DIR/` works the first time. kubectl reads a directory's files in lexical order
 * (k8s.io/cli-runtime pkg/resource/visitor.go, FileVisitorForSTDIN / ExpandPathsToFileVisitors walk the
 * directory with filepath.Walk, which is lexical) and a namespaced object whose Namespace does not exist
 * yet is refused with 404 (the NamespaceLifecycle admission plugin), so the Namespace must come first.
 * Run with the machine's kubectl against the FakeApiServer (HTTPS: kubectl sends tokens only over TLS);
 * skipped, with the reason, where kubectl or openssl is absent.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { FakeApiServer, selfSignedCert, type KubeObject } from '../support/fake-apiserver/index.js';
import { missingKubectlTools } from '../support/tool-available.js';

const run = promisify(execFile);
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));
const CRD = fileURLToPath(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url));
const CLUSTER_CRD = fileURLToPath(
  new URL('../../crds/clusterconnectivitytests.flowprobe.dev.yaml', import.meta.url),
);
/** examples/platform/ needs the ClusterNetworkPolicy CRD, which a cluster installs from network-policy-api. */
const CNP_CRD = fileURLToPath(
  new URL('../fixtures/policy-crds/policy.networking.k8s.io_clusternetworkpolicies.yaml', import.meta.url),
);
const DIRS = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

describe('kubectl apply -f examples/DIR/ on a fresh cluster (FakeApiServer)', function () {
  this.timeout(60_000);
  let server: FakeApiServer;
  let dir: string;

  before(function () {
    const missing = missingKubectlTools();
    if (missing.length > 0) {
      console.log(`      skipped: ${missing.join(' and ')} not found on PATH`);
      this.skip();
    }
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'examples-apply-'));
    const crds = [CRD, CLUSTER_CRD, CNP_CRD].map((f) => parse(readFileSync(f, 'utf8')) as KubeObject);
    server = await FakeApiServer.start({ tls: selfSignedCert(), objects: crds });
    writeFileSync(join(dir, 'kubeconfig'), server.kubeconfig());
  });

  afterEach(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const name of DIRS) {
    it(`applies examples/${name}/ in one go, its Namespace first`, async () => {
      const env = { ...process.env, KUBECONFIG: join(dir, 'kubeconfig'), HOME: dir };
      const args = ['apply', '-f', join(EXAMPLES, name), '--cache-dir', join(dir, 'cache')];
      const result = await run('kubectl', args, { env }).then(
        ({ stdout }) => ({ code: 0, out: stdout }),
        (e: unknown) => {
          const failed = e as { code: number; stdout: string; stderr: string };
          return { code: failed.code, out: failed.stdout + failed.stderr };
        },
      );
      assert.equal(result.code, 0, result.out);
      assert.doesNotMatch(result.out, /not found|Error/);
    });
  }
});

// `flowprobe operator --kubeconfig FILE` outside a cluster: the leader-election Lease needs a namespace that
// exists. It used to default to `flowprobe` and retry "namespaces flowprobe not found" for ever; now it
// takes the context's namespace, or fails at once naming the flags, as controller-runtime does
// ("unable to find leader election namespace", sigs.k8s.io/controller-runtime pkg/leaderelection).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { FakeApiServer } from '../support/fake-apiserver/index.js';
import type { KubeObject } from '../support/fake-apiserver/types.js';
import { runCli } from '../support/run-cli.js';

const CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;

describe('flowprobe operator outside a cluster, with leader election', function () {
  this.timeout(60_000);
  let server: FakeApiServer;
  let dir: string;
  before(async () => {
    server = await FakeApiServer.start({ objects: [CRD] });
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-lease-'));
  });
  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** The fake server's admin kubeconfig, with the context's namespace set to `namespace` (or none). */
  async function kubeconfig(namespace: string | undefined): Promise<string> {
    const config = parse(server.kubeconfig()) as { contexts: { context: { namespace?: string } }[] };
    for (const { context } of config.contexts) {
      if (namespace === undefined) delete context.namespace;
      else context.namespace = namespace;
    }
    const file = join(dir, `kubeconfig-${namespace ?? 'none'}`);
    await writeFile(file, stringify(config));
    return file;
  }

  const operator = (file: string): string[] => [
    'operator',
    '--kubeconfig',
    file,
    '--metrics-addr',
    '127.0.0.1:0',
    '--log-level',
    'error',
  ];

  it('exits 2 at once, naming the flags, when the context names no namespace', async () => {
    const r = await runCli(operator(await kubeconfig(undefined)));
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /needs a namespace for its Lease.*--lease-namespace NAMESPACE.*--no-leader-elect/s,
    );
  });

  it('exits 2 at once when the namespace of the Lease does not exist', async () => {
    const r = await runCli(operator(await kubeconfig('nowhere')));
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /namespace "nowhere" of the leader-election Lease does not exist/);
  });
});

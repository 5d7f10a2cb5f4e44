// A kubeconfig that leads nowhere is named in the error: the file, the context, the system error (issue 12,
// "Input edges"). The client library alone said "no current cluster" long after, with no file in sight.
import { strict as assert } from 'node:assert';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfigError, loadKubeConfig } from '../../src/kube/index.js';

const CONFIG = `apiVersion: v1
kind: Config
clusters: [{name: kind, cluster: {server: 'https://127.0.0.1:6443'}}]
users: [{name: admin, user: {token: t}}]
contexts:
  - {name: kind-ci, context: {cluster: kind, user: admin}}
  - {name: dangling, context: {cluster: gone, user: admin}}
`;

describe('loading a kubeconfig', () => {
  let dir: string;
  let file: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'flowprobe-kc-'));
    file = join(dir, 'config');
    await writeFile(file, CONFIG);
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cases: { name: string; options: () => { kubeconfig: string; context?: string }; message: RegExp }[] =
    [
      {
        name: 'a file that does not exist, with the system error',
        options: () => ({ kubeconfig: join(dir, 'nope') }),
        message: /^cannot load the kubeconfig .*nope: ENOENT/,
      },
      {
        name: 'a context the file does not have, with the ones it has',
        options: () => ({ kubeconfig: file, context: 'prod' }),
        message: /^the kubeconfig .*config has no context "prod" \(its contexts: kind-ci, dangling\)$/,
      },
      {
        name: 'no current context',
        options: () => ({ kubeconfig: file }),
        message: /^the kubeconfig .*config leads to no cluster: it has no current context; pass --context/,
      },
      {
        name: 'a context whose cluster is not defined',
        options: () => ({ kubeconfig: file, context: 'dangling' }),
        message: /leads to no cluster: its context "dangling" names no cluster it defines/,
      },
    ];
  for (const c of cases) {
    it(`names the file and the context for ${c.name}`, () => {
      assert.throws(
        () => loadKubeConfig(c.options()),
        (err: unknown) => err instanceof KubeConfigError && c.message.test(err.message),
      );
    });
  }

  it('loads a context that leads to a cluster', () => {
    const kc = loadKubeConfig({ kubeconfig: file, context: 'kind-ci' });
    assert.equal(kc.getCurrentCluster()?.server, 'https://127.0.0.1:6443');
  });
});

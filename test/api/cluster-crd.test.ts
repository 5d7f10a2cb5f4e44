// The ClusterConnectivityTest CRD (src/api/cluster-schema.ts, crd.ts): committed as generated, the same
// flow schema as the ConnectivityTest's, and its own rules judged by the FAKE API server (schema + CEL, as
// kube-apiserver judges a CRD's objects) and by `flowprobe validate`'s twin alike.
import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import { CustomResourceDefinition } from 'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition';
import { parse } from 'yaml';
import { clusterConnectivityTestCrd, connectivityTestCrd } from '../../src/api/crd.js';
import { CLUSTER_CRD_FILE, renderClusterCrdYaml } from '../../src/api/crd-yaml.js';
import { validateClusterConnectivityTest } from '../../src/api/validate-cluster.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';
import { clientsFor, statusOf } from '../fake-apiserver/harness.js';

const ROOT = new URL('../../', import.meta.url);

type Crd = {
  spec: {
    scope: string;
    names: { kind: string; shortNames: string[] };
    versions: {
      schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
    }[];
  };
};

const flow = {
  name: 'no-metadata',
  from: { labels: { app: 'probe' } },
  to: { ip: '169.254.169.254' },
  port: 80,
  expect: 'Denied',
};

function cctest(spec: Record<string, unknown>, name = 'tenants'): KubeObject {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ClusterConnectivityTest',
    metadata: { name },
    spec: { namespaceSelector: {}, flows: [flow], ...spec },
  };
}

describe('the ClusterConnectivityTest CRD', () => {
  it('is committed exactly as the generator renders it (run npm run gen:crd after a schema change)', async () => {
    assert.equal(await readFile(new URL(CLUSTER_CRD_FILE, ROOT), 'utf8'), renderClusterCrdYaml());
  });

  it('is a valid apiextensions.k8s.io/v1 CustomResourceDefinition, cluster-scoped, short name cctest', () => {
    const parsed = parse(renderClusterCrdYaml()) as ConstructorParameters<typeof CustomResourceDefinition>[0];
    assert.doesNotThrow(() => {
      new CustomResourceDefinition(parsed).validate();
    });
    const crd = clusterConnectivityTestCrd() as unknown as Crd;
    assert.equal(crd.spec.scope, 'Cluster');
    assert.deepEqual(crd.spec.names.shortNames, ['cctest']);
  });

  it("has exactly the ConnectivityTest's flow schema, so the two cannot drift", () => {
    const specOf = (c: unknown) =>
      (c as Crd).spec.versions[0]!.schema.openAPIV3Schema.properties.spec.properties;
    const cluster = specOf(clusterConnectivityTestCrd());
    const namespaced = specOf(connectivityTestCrd());
    assert.deepEqual(cluster.flows, namespaced.flows);
    const { namespaceSelector: _s, maxNamespaces: _m, ...shared } = cluster;
    assert.deepEqual(shared, namespaced);
  });

  describe('judged by the FAKE API server and by validate alike', () => {
    let server: FakeApiServer;
    before(async () => {
      const crd = parse(await readFile(new URL(CLUSTER_CRD_FILE, ROOT), 'utf8')) as KubeObject;
      server = await FakeApiServer.start({ objects: [crd] });
    });
    after(() => server.stop());

    const create = (body: KubeObject) =>
      clientsFor(server).custom.createClusterCustomObject({
        group: 'flowprobe.dev',
        version: 'v1alpha1',
        plural: 'clusterconnectivitytests',
        body,
      });

    const refused: [string, Record<string, unknown>, RegExp][] = [
      ['no namespaceSelector', { namespaceSelector: undefined }, /spec\.namespaceSelector: Required value/],
      [
        'an In requirement without values',
        { namespaceSelector: { matchExpressions: [{ key: 'tenant', operator: 'In' }] } },
        /spec\.namespaceSelector\.matchExpressions\[0\]\.values/,
      ],
      [
        'a label key that is no label key',
        { namespaceSelector: { matchLabels: { 'not a key!': 'x' } } },
        /spec\.namespaceSelector\.matchLabels/,
      ],
      ['maxNamespaces 0', { maxNamespaces: 0 }, /spec\.maxNamespaces/],
      ['maxNamespaces 101', { maxNamespaces: 101 }, /spec\.maxNamespaces/],
      [
        'more results than a status holds (11 flows × 100 namespaces)',
        {
          maxNamespaces: 100,
          flows: Array.from({ length: 11 }, (_, i) => ({ ...flow, name: `f${i}` })),
        },
        /spec\.maxNamespaces: Invalid value: .*flows × maxNamespaces must be at most 1000/,
      ],
      [
        'more weighted results than a status holds (13 dual-stack EachNode flows × 10 namespaces)',
        {
          flows: Array.from({ length: 13 }, (_, i) => ({
            ...flow,
            name: `f${i}`,
            to: { service: 'web' },
            placement: 'EachNode',
          })),
        },
        /spec\.maxNamespaces: Invalid value: .*flows × maxNamespaces must be at most 1000, a flow counting 2/,
      ],
    ];

    for (const [what, spec, message] of refused) {
      it(`refuses ${what} (422), and validate names the same field`, async () => {
        const body = cctest(spec, `bad-${refused.findIndex(([w]) => w === what)}`);
        if ('namespaceSelector' in spec && spec.namespaceSelector === undefined)
          delete (body.spec as Record<string, unknown>).namespaceSelector;
        const status = await statusOf(create(body), 422);
        assert.match(status.message, message);
        const field = /(spec\.[A-Za-z.]+)/.exec(message.source.replace(/\\/g, ''))?.[1] ?? 'spec';
        const problems = validateClusterConnectivityTest(body).map((p) => p.path);
        assert.ok(
          problems.some((p) => p.startsWith(field)),
          `${field} in ${problems.join(', ')}`,
        );
      });
    }

    it('accepts {} (every namespace) and defaults maxNamespaces to 10', async () => {
      const created = (await create(cctest({}, 'all'))) as { spec: { maxNamespaces: number } };
      assert.equal(created.spec.maxNamespaces, 10);
      assert.deepEqual(validateClusterConnectivityTest(cctest({}, 'all')), []);
    });

    it('accepts 10 flows × 100 namespaces, the largest status it allows', async () => {
      const flows = Array.from({ length: 10 }, (_, i) => ({ ...flow, name: `f${i}` }));
      await create(cctest({ maxNamespaces: 100, flows }, 'largest'));
      assert.deepEqual(validateClusterConnectivityTest(cctest({ maxNamespaces: 100, flows })), []);
    });
  });
});

/**
 * The e2e suite creates its fixtures through client-node's KubernetesObjectApi, which serializes a built-in
 * kind through the generated model of its type (util.ts getSerializationType, then ObjectSerializer). The
 * models rename some wire fields (a NetworkPolicy rule's `from` is `_from`, V1NetworkPolicyIngressRule's
 * attributeTypeMap), so a plain object parsed from YAML lost its `from` without a word and was stored as
 * `ingress: [{ports}]`, which admits every source: the e2e scenarios tested other policies than the files
 * say. This creates the e2e fixtures on the FAKE API server and reads them back as the wire holds them.
 */
import { strict as assert } from 'node:assert';
import { createAll, fixtureObjects } from '../../e2e/support/fixtures.js';
import { FakeApiServer } from '../support/fake-apiserver/index.js';
import * as k8s from '../support/fake-apiserver/kube-client.js';

interface WirePolicy {
  metadata: { name: string; namespace: string };
  spec: { ingress?: object[]; egress?: object[] };
}

describe('e2e fixtures, created through the API', () => {
  let server: FakeApiServer;
  let kc: k8s.KubeConfig;

  before(async () => {
    server = await FakeApiServer.start();
    kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig());
  });
  after(async () => {
    await server.stop();
  });

  it('keep every NetworkPolicy rule as written, peers (`from`/`to`) included', async () => {
    const policies = fixtureObjects('20-network-policies.yaml') as unknown as WirePolicy[];
    await createAll(kc, fixtureObjects('00-namespaces.yaml'));
    await createAll(kc, fixtureObjects('20-network-policies.yaml'));
    const withPeers = policies.filter((p) => JSON.stringify(p.spec).includes('"from"'));
    assert.ok(withPeers.length > 0, 'the fixtures have rules with peers');
    for (const written of policies) {
      const { namespace, name } = written.metadata;
      const url = `${server.url}/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies/${name}`;
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${server.tokenFor('system:admin')}` },
      });
      const stored = (await res.json()) as WirePolicy;
      assert.deepEqual(stored.spec.ingress, written.spec.ingress, `${namespace}/${name} ingress`);
      assert.deepEqual(stored.spec.egress, written.spec.egress, `${namespace}/${name} egress`);
    }
  });
});

/**
 * Discovery documents (https://kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api) and the
 * lifecycle of CRD-served resources (creating a CRD serves it; deleting it removes its objects).
 */
import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  fixture,
  GROUP,
  k8s,
  PROBE_CRD,
  startWithFixtures,
  statusOf,
  VERSION,
  type Clients,
  PROBES,
} from './harness.js';

describe('FakeApiServer: discovery and CRDs', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  it('lists core/v1 resources with kind, namespaced, verbs, short names and subresources', async () => {
    const list = await c.core.getAPIResources();
    const byName = new Map(list.resources.map((r) => [r.name, r]));
    assert.equal(byName.get('pods')?.kind, 'Pod');
    assert.equal(byName.get('pods')?.namespaced, true);
    assert.deepEqual(byName.get('pods')?.shortNames, ['po']);
    assert.ok(byName.get('pods')?.verbs.includes('watch'));
    assert.deepEqual(byName.get('pods/status')?.verbs, ['get', 'patch', 'update']);
    assert.deepEqual(byName.get('pods/log')?.verbs, ['get']);
    assert.equal(byName.get('namespaces')?.namespaced, false);
  });

  it('serves a created CRD at /apis/GROUP/VERSION, namespaced or cluster-scoped, as Established', async () => {
    const groups = await c.kc.makeApiClient(k8s.ApisApi).getAPIVersions();
    assert.deepEqual(groups.groups.find((g) => g.name === GROUP)?.preferredVersion?.version, VERSION);
    const crd = await c.kc
      .makeApiClient(k8s.ApiextensionsV1Api)
      .readCustomResourceDefinition({ name: `probes.${GROUP}` });
    assert.equal(crd.status?.conditions?.find((x) => x.type === 'Established')?.status, 'True');
    const res = await fetch(`${server.url}/apis/${GROUP}/${VERSION}`, {
      headers: { Authorization: `Bearer ${server.tokenFor('system:admin')}` },
    });
    const doc = (await res.json()) as {
      resources: { name: string; namespaced: boolean; shortNames?: string[]; categories?: string[] }[];
    };
    const probes = doc.resources.find((r) => r.name === 'probes');
    assert.deepEqual(
      [probes?.namespaced, probes?.shortNames, probes?.categories],
      [true, ['prb'], ['flowprobe']],
    );
    assert.ok(doc.resources.some((r) => r.name === 'probes/status'));
    assert.equal(doc.resources.find((r) => r.name === 'probeclasses')?.namespaced, false);
    assert.equal(
      doc.resources.some((r) => r.name === 'probeclasses/status'),
      false,
    );
  });

  it('stops serving a deleted CRD and deletes its objects', async () => {
    const ref = PROBES;
    await c.custom.createNamespacedCustomObject({
      ...ref,
      body: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Probe', metadata: { name: 'p' }, spec: { port: 1 } },
    });
    const w = c.kc.makeApiClient(k8s.ApiextensionsV1Api);
    await w.deleteCustomResourceDefinition({ name: `probes.${GROUP}` });
    const status = await statusOf(c.custom.listNamespacedCustomObject(ref), 404);
    assert.equal(status.message, 'the server could not find the requested resource');
    await w.createCustomResourceDefinition({
      body: fixture(PROBE_CRD) as unknown as k8s.V1CustomResourceDefinition,
    });
    const list = (await c.custom.listNamespacedCustomObject(ref)) as { items: unknown[] };
    assert.equal(list.items.length, 0);
  });

  // Paths the API does not serve: an unknown resource is a 404 with a generic message; a method a path does not
  // support is 405 MethodNotAllowed (endpoints/handlers: no route for that verb).
  it('answers unknown resources with 404 and unsupported methods with 405 MethodNotAllowed', async () => {
    const call = async (method: string, path: string): Promise<{ code: number; reason: string }> => {
      const headers = {
        Authorization: `Bearer ${server.tokenFor('system:admin')}`,
        'Content-Type': 'application/json',
      };
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers,
        ...(method === 'GET' ? {} : { body: '{}' }),
      });
      return (await res.json()) as { code: number; reason: string };
    };
    assert.deepEqual(await call('GET', '/apis/nope.dev/v1/things'), {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'the server could not find the requested resource',
      reason: 'NotFound',
      details: {},
      code: 404,
    });
    const post = await call('POST', '/api/v1/pods');
    assert.deepEqual([post.code, post.reason], [405, 'MethodNotAllowed']);
    const putLog = await call('PUT', '/api/v1/namespaces/default/pods/p/log');
    assert.deepEqual([putLog.code, putLog.reason], [405, 'MethodNotAllowed']);
  });
});

/**
 * The status subresource and metadata.generation, after the CRD documentation
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#status-subresource):
 * with the subresource, the main endpoint ignores status and /status ignores everything else; generation
 * starts at 1 and moves only on changes outside metadata and status.
 */

import assert from 'node:assert/strict';
import type { FakeApiServer, KubeObject } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  createProbe,
  eventually,
  k8s,
  getProbe,
  GROUP,
  mergePatch,
  probe,
  startWithFixtures,
  statusOf,
  VERSION,
  type Clients,
  PROBES,
} from './harness.js';

const ref = PROBES;

describe('FakeApiServer: status subresource and generation', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  it('starts generation at 1 and drops status sent on create when the status subresource is on', async () => {
    const created = await createProbe(c, { ...probe('p', { port: 80 }), status: { phase: 'Done' } });
    assert.equal(created.metadata.generation, 1);
    assert.equal(created.status, undefined);
  });

  it('moves generation on a spec change, not on a metadata change', async () => {
    await createProbe(c, probe('p', { port: 80 }));
    const labelled = (await c.custom.patchNamespacedCustomObject(
      { ...ref, name: 'p', body: { metadata: { labels: { a: 'b' } } } },
      mergePatch,
    )) as KubeObject;
    assert.equal(labelled.metadata.generation, 1);
    const changed = (await c.custom.patchNamespacedCustomObject(
      { ...ref, name: 'p', body: { spec: { port: 81 } } },
      mergePatch,
    )) as KubeObject;
    assert.equal(changed.metadata.generation, 2);
  });

  it('writes status only through /status, leaving spec and generation alone', async () => {
    await createProbe(c, probe('p', { port: 80 }));
    const body = { spec: { port: 9999 }, status: { phase: 'Running', observedGeneration: 1 } };
    const viaStatus = (await c.custom.patchNamespacedCustomObjectStatus(
      { ...ref, name: 'p', body },
      mergePatch,
    )) as KubeObject;
    assert.deepEqual(viaStatus.status, { phase: 'Running', observedGeneration: 1 });
    assert.equal((viaStatus.spec as { port: number }).port, 80);
    assert.equal(viaStatus.metadata.generation, 1);
  });

  it('ignores status sent to the main resource', async () => {
    await createProbe(c, probe('p', { port: 80 }));
    await c.custom.patchNamespacedCustomObjectStatus(
      { ...ref, name: 'p', body: { status: { phase: 'Running' } } },
      mergePatch,
    );
    const after = (await c.custom.patchNamespacedCustomObject(
      { ...ref, name: 'p', body: { status: { phase: 'Hacked' } } },
      mergePatch,
    )) as KubeObject;
    assert.deepEqual(after.status, { phase: 'Running' });
  });

  it('replaces status with PUT /status and checks its resourceVersion', async () => {
    const created = await createProbe(c, probe('p', { port: 80 }));
    const put = (await c.custom.replaceNamespacedCustomObjectStatus({
      ...ref,
      name: 'p',
      body: { ...created, status: { phase: 'A' } },
    })) as KubeObject;
    assert.deepEqual(put.status, { phase: 'A' });
    await statusOf(
      c.custom.replaceNamespacedCustomObjectStatus({
        ...ref,
        name: 'p',
        body: { ...created, status: { phase: 'B' } },
      }),
      409,
    );
  });

  // customresource strategy: AllowUnconditionalUpdate is false, so a PUT must name a resourceVersion.
  it('refuses a PUT of a custom resource without resourceVersion with 422', async () => {
    const created = await createProbe(c, probe('p', { port: 80 }));
    const { resourceVersion: _rv, ...meta } = created.metadata;
    const status = await statusOf(
      c.custom.replaceNamespacedCustomObject({ ...ref, name: 'p', body: { ...created, metadata: meta } }),
      422,
    );
    assert.match(
      status.message,
      /metadata.resourceVersion: Invalid value: 0x0: must be specified for an update/,
    );
  });

  // Without the subresource, status is an ordinary part of the object and its changes move generation.
  it('counts status changes in generation for a CRD without the status subresource', async () => {
    const cluster = { group: GROUP, version: VERSION, plural: 'probeclasses' };
    await c.custom.createClusterCustomObject({
      ...cluster,
      body: {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: 'ProbeClass',
        metadata: { name: 'fast' },
        spec: { timeoutSeconds: 1 },
      },
    });
    const patched = (await c.custom.patchClusterCustomObject(
      { ...cluster, name: 'fast', body: { status: { seen: true } } },
      mergePatch,
    )) as KubeObject;
    assert.deepEqual(patched.status, { seen: true });
    assert.equal(patched.metadata.generation, 2);
  });

  // Pods have a status subresource too: a kubelet-like writer sets the phase through it.
  it('sets a pod phase through pods/status and ignores it on the pod itself', async () => {
    await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
    });
    const running = await c.core.patchNamespacedPodStatus(
      { namespace: 'default', name: 'p', body: { status: { phase: 'Running' } } },
      mergePatch,
    );
    assert.equal(running.status!.phase, 'Running');
    const ignored = await c.core.patchNamespacedPod(
      { namespace: 'default', name: 'p', body: { status: { phase: 'Failed' } } },
      mergePatch,
    );
    assert.equal(ignored.status!.phase, 'Running');
  });

  it('serves a custom resource read through getNamespacedCustomObject with its apiVersion and kind', async () => {
    await createProbe(c, probe('p', { port: 80 }));
    const got = await getProbe(c, 'p');
    assert.equal(got.apiVersion, `${GROUP}/${VERSION}`);
    assert.equal(got.kind, 'Probe');
  });

  // The controller pattern the operator relies on: an informer on the custom resource sees a status write as
  // an update whose generation did not move, so observedGeneration == generation tells "status is current".
  it('shows an informer status writes as updates with an unchanged generation', async () => {
    const path = `/apis/${GROUP}/${VERSION}/namespaces/default/probes`;
    const list = async (): Promise<k8s.KubernetesListObject<k8s.KubernetesObject>> =>
      (await c.custom.listNamespacedCustomObject(ref)) as k8s.KubernetesListObject<k8s.KubernetesObject>;
    const informer = k8s.makeInformer(c.kc, path, list);
    const seen: (number | undefined)[] = [];
    informer.on('update', (obj) => seen.push(obj.metadata?.generation));
    informer.on('error', () => undefined);
    await informer.start();
    try {
      await createProbe(c, probe('p', { port: 80 }));
      await eventually(() => Promise.resolve(informer.get('p', 'default') ? true : undefined));
      const body = { status: { observedGeneration: 1, phase: 'Done' } };
      await c.custom.patchNamespacedCustomObjectStatus({ ...ref, name: 'p', body }, mergePatch);
      await c.custom.patchNamespacedCustomObject(
        { ...ref, name: 'p', body: { spec: { port: 81 } } },
        mergePatch,
      );
      await eventually(() => Promise.resolve(seen.length === 2 ? true : undefined));
      assert.deepEqual(seen, [1, 2]);
    } finally {
      await informer.stop();
    }
  });
});

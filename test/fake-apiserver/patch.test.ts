/**
 * PATCH formats (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/):
 * JSON merge patch, JSON patch, strategic merge patch for built-in types only (415 for custom resources),
 * and server-side apply (https://kubernetes.io/docs/reference/using-api/server-side-apply/), simplified.
 */
import assert from 'node:assert/strict';
import type { FakeApiServer, KubeObject } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  createProbe,
  GROUP,
  jsonPatch,
  k8s,
  mergePatch,
  probe,
  startWithFixtures,
  statusOf,
  VERSION,
  type Clients,
  PROBES,
} from './harness.js';

const ref = PROBES;
const apply = (fieldManager: string, force = false) => ({
  ...ref,
  fieldManager,
  ...(force ? { force: true } : {}),
});
const applyHeader = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.ServerSideApply);

describe('FakeApiServer: patch', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  it('merge patch (RFC 7386): merges maps, deletes with null, replaces lists', async () => {
    await createProbe(c, probe('p', { port: 80, host: 'a', flows: [{ name: 'a', port: 1, primary: true }] }));
    const body = { spec: { host: null, flows: [{ name: 'b', port: 2, primary: true }] } };
    const after = (await c.custom.patchNamespacedCustomObject(
      { ...ref, name: 'p', body },
      mergePatch,
    )) as KubeObject;
    const spec = after.spec as Record<string, unknown>;
    assert.equal(spec.host, undefined);
    assert.equal(spec.port, 80);
    assert.deepEqual(spec.flows, [{ name: 'b', port: 2, primary: true }]);
  });

  it('JSON patch (RFC 6902): applies operations and fails a failed test op with 422', async () => {
    await createProbe(c, probe('p', { port: 80 }));
    const ops = [
      { op: 'test', path: '/spec/port', value: 80 },
      { op: 'replace', path: '/spec/port', value: 81 },
      { op: 'add', path: '/metadata/labels', value: { a: 'b' } },
    ];
    const after = (await c.custom.patchNamespacedCustomObject(
      { ...ref, name: 'p', body: ops },
      jsonPatch,
    )) as KubeObject;
    assert.equal((after.spec as { port: number }).port, 81);
    assert.deepEqual(after.metadata.labels, { a: 'b' });
    await statusOf(
      c.custom.patchNamespacedCustomObject(
        { ...ref, name: 'p', body: [{ op: 'test', path: '/spec/port', value: 1 }] },
        jsonPatch,
      ),
      422,
    );
  });

  // Custom resources do not support strategic merge patch: 415 UnsupportedMediaType (stack.md).
  it('refuses strategic merge patch on a custom resource with 415', async () => {
    await createProbe(c, probe('p', { port: 80 }));
    const smp = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
    const status = await statusOf(
      c.custom.patchNamespacedCustomObject({ ...ref, name: 'p', body: { spec: { port: 1 } } }, smp),
      415,
    );
    assert.equal(status.reason, 'UnsupportedMediaType');
  });

  it('answers a patch of a missing object with 404', async () => {
    await statusOf(
      c.custom.patchNamespacedCustomObject({ ...ref, name: 'nope', body: { spec: {} } }, mergePatch),
      404,
    );
  });

  describe('server-side apply (simplified)', () => {
    it('creates an absent object and records the manager in managedFields', async () => {
      const created = (await c.custom.patchNamespacedCustomObject(
        { ...apply('flowprobe'), name: 'p', body: probe('p', { port: 80 }) },
        applyHeader,
      )) as KubeObject;
      assert.equal((created.spec as { port: number }).port, 80);
      const managers = (created.metadata.managedFields ?? []).map((m) => [m.manager, m.operation]);
      assert.deepEqual(managers, [['flowprobe', 'Apply']]);
    });

    it('requires a fieldManager', async () => {
      const status = await statusOf(
        c.custom.patchNamespacedCustomObject(
          { ...ref, name: 'p', body: probe('p', { port: 80 }) },
          applyHeader,
        ),
        422,
      );
      assert.match(status.message, /fieldManager: Required value: is required for apply patch/);
    });

    it('removes fields the same manager applied before and no longer applies', async () => {
      await c.custom.patchNamespacedCustomObject(
        { ...apply('m'), name: 'p', body: probe('p', { port: 80, host: 'a' }) },
        applyHeader,
      );
      const after = (await c.custom.patchNamespacedCustomObject(
        { ...apply('m'), name: 'p', body: probe('p', { port: 80 }) },
        applyHeader,
      )) as KubeObject;
      assert.equal((after.spec as { host?: string }).host, undefined);
    });

    it('refuses to change a field another manager applied (409) unless forced', async () => {
      await c.custom.patchNamespacedCustomObject(
        { ...apply('one'), name: 'p', body: probe('p', { port: 80 }) },
        applyHeader,
      );
      const status = await statusOf(
        c.custom.patchNamespacedCustomObject(
          { ...apply('two'), name: 'p', body: probe('p', { port: 81 }) },
          applyHeader,
        ),
        409,
      );
      assert.match(status.message, /^Apply failed with 1 conflict: conflict with "one": \.spec\.port/);
      const forced = (await c.custom.patchNamespacedCustomObject(
        { ...apply('two', true), name: 'p', body: probe('p', { port: 81 }) },
        applyHeader,
      )) as KubeObject;
      assert.equal((forced.spec as { port: number }).port, 81);
    });

    it('applies status through the status subresource', async () => {
      await c.custom.patchNamespacedCustomObject(
        { ...apply('m'), name: 'p', body: probe('p', { port: 80 }) },
        applyHeader,
      );
      const body = {
        apiVersion: `${GROUP}/${VERSION}`,
        kind: 'Probe',
        metadata: { name: 'p' },
        status: { phase: 'Done' },
      };
      const after = (await c.custom.patchNamespacedCustomObjectStatus(
        { ...apply('status-writer'), name: 'p', body },
        applyHeader,
      )) as KubeObject;
      assert.deepEqual(after.status, { phase: 'Done' });
    });
  });
});

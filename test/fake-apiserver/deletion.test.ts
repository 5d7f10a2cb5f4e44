/**
 * Deletion as kube-apiserver and its controllers carry it out: finalizers and deletionTimestamp
 * (https://kubernetes.io/docs/concepts/overview/working-with-objects/finalizers/), owner references and
 * cascading deletion (https://kubernetes.io/docs/concepts/architecture/garbage-collection/), namespace
 * termination (https://kubernetes.io/docs/tasks/administer-cluster/namespaces/#deleting-a-namespace).
 */

import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import {
  clientsFor,
  eventually,
  k8s,
  mergePatch,
  openWatch,
  rejection,
  startWithFixtures,
  statusOf,
  type Clients,
} from './harness.js';

function sa(name: string, owners: k8s.V1OwnerReference[] = [], finalizers?: string[]): k8s.V1ServiceAccount {
  return { metadata: { name, ownerReferences: owners, ...(finalizers ? { finalizers } : {}) } };
}

describe('FakeApiServer: deletion', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  const readSa = (name: string, namespace = 'default') =>
    c.core.readNamespacedServiceAccount({ namespace, name });
  const gone = async (name: string, namespace = 'default'): Promise<true | undefined> => {
    const err = await rejection(readSa(name, namespace));
    return err instanceof k8s.ApiException && err.code === 404 ? true : undefined;
  };

  it('keeps an object with finalizers, sets deletionTimestamp, and deletes it when the last finalizer goes', async () => {
    await c.core.createNamespacedServiceAccount({
      namespace: 'default',
      body: sa('held', [], ['flowprobe.dev/cleanup']),
    });
    const w = await openWatch(c.kc, '/api/v1/namespaces/default/serviceaccounts', {
      resourceVersion: String(server.resourceVersion()),
    });
    await c.core.deleteNamespacedServiceAccount({ namespace: 'default', name: 'held' });
    const held = await readSa('held');
    assert.ok(held.metadata!.deletionTimestamp instanceof Date);
    assert.equal(held.metadata!.deletionGracePeriodSeconds, 0);
    await c.core.patchNamespacedServiceAccount(
      { namespace: 'default', name: 'held', body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    assert.equal(await gone('held'), true);
    // store.go Update → deleteWithoutFinalizers: watchers see MODIFIED (deletionTimestamp) then DELETED only.
    const events = await w.until((e) => e.length === 2);
    w.stop();
    assert.deepEqual(
      events.map((e) => e.type),
      ['MODIFIED', 'DELETED'],
    );
  });

  // ValidateObjectMetaUpdate: "no new finalizers can be added if the object is being deleted".
  it('refuses new finalizers on an object being deleted with 422', async () => {
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('held', [], ['a']) });
    await c.core.deleteNamespacedServiceAccount({ namespace: 'default', name: 'held' });
    const status = await statusOf(
      c.core.patchNamespacedServiceAccount(
        { namespace: 'default', name: 'held', body: { metadata: { finalizers: ['a', 'b'] } } },
        mergePatch,
      ),
      422,
    );
    assert.match(
      status.message,
      /metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted/,
    );
  });

  it('deletes dependents of a deleted owner in the background', async () => {
    const owner = await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('owner') });
    const ref = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: 'owner',
      uid: owner.metadata!.uid!,
      controller: true,
    };
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('dependent', [ref]) });
    await c.core.deleteNamespacedServiceAccount({ namespace: 'default', name: 'owner' });
    assert.equal(await eventually(() => gone('dependent')), true);
  });

  it('keeps a dependent while one of its owners still exists', async () => {
    const a = await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('a') });
    const b = await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('b') });
    const refs = [a, b].map((o) => ({
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: o.metadata!.name!,
      uid: o.metadata!.uid!,
    }));
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('dependent', refs) });
    await c.core.deleteNamespacedServiceAccount({ namespace: 'default', name: 'a' });
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('marker') });
    await eventually(async () => ((await gone('a')) ? true : undefined));
    assert.equal((await readSa('dependent')).metadata!.name, 'dependent');
  });

  it('orphans dependents with propagationPolicy Orphan', async () => {
    const owner = await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('owner') });
    const ref = { apiVersion: 'v1', kind: 'ServiceAccount', name: 'owner', uid: owner.metadata!.uid! };
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('dependent', [ref]) });
    await c.core.deleteNamespacedServiceAccount({
      namespace: 'default',
      name: 'owner',
      propagationPolicy: 'Orphan',
    });
    const dependent = await readSa('dependent');
    assert.equal(dependent.metadata!.ownerReferences, undefined);
  });

  it('deletes an owner in the foreground only after its dependents', async () => {
    const owner = await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('owner') });
    const ref = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      name: 'owner',
      uid: owner.metadata!.uid!,
      blockOwnerDeletion: true,
    };
    await c.core.createNamespacedServiceAccount({
      namespace: 'default',
      body: sa('dependent', [ref], ['hold']),
    });
    await c.core.deleteNamespacedServiceAccount({
      namespace: 'default',
      name: 'owner',
      propagationPolicy: 'Foreground',
    });
    const waiting = await readSa('owner');
    assert.deepEqual(waiting.metadata!.finalizers, ['foregroundDeletion']);
    await c.core.patchNamespacedServiceAccount(
      { namespace: 'default', name: 'dependent', body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    assert.equal(await eventually(() => gone('owner')), true);
  });

  it('terminates a namespace: Terminating phase, no new content (403), content deleted, then the namespace', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await c.core.createNamespacedServiceAccount({ namespace: 'doomed', body: sa('x', [], ['hold']) });
    await c.core.deleteNamespace({ name: 'doomed' });
    const ns = await c.core.readNamespace({ name: 'doomed' });
    assert.equal(ns.status!.phase, 'Terminating');
    const status = await statusOf(
      c.core.createNamespacedServiceAccount({ namespace: 'doomed', body: sa('y') }),
      403,
    );
    assert.equal(
      status.message,
      'serviceaccounts "y" is forbidden: unable to create new content in namespace doomed because it is being terminated',
    );
    await eventually(async () =>
      (await readSa('x', 'doomed')).metadata!.deletionTimestamp ? true : undefined,
    );
    await c.core.patchNamespacedServiceAccount(
      { namespace: 'doomed', name: 'x', body: { metadata: { finalizers: null } } },
      mergePatch,
    );
    await eventually(async () => {
      const err = await rejection(c.core.readNamespace({ name: 'doomed' }));
      return err instanceof k8s.ApiException && err.code === 404 ? true : undefined;
    });
  });

  // DeleteOptions.preconditions: a mismatching uid or resourceVersion is a 409 Conflict.
  it('honours delete preconditions on resourceVersion', async () => {
    await c.core.createNamespacedServiceAccount({ namespace: 'default', body: sa('a') });
    const status = await statusOf(
      c.core.deleteNamespacedServiceAccount({
        namespace: 'default',
        name: 'a',
        body: { preconditions: { resourceVersion: '1' } },
      }),
      409,
    );
    assert.match(status.message, /Precondition failed: ResourceVersion in precondition: 1/);
  });

  // Pod strategy CheckGracefulDelete: a pod on a node waits out its grace period for the kubelet, which
  // confirms with gracePeriodSeconds=0; an unscheduled pod goes at once.
  it('deletes a pod on a node gracefully when gracefulPodDeletion is on', async () => {
    const graceful = await startWithFixtures({ gracefulPodDeletion: true });
    try {
      const g = clientsFor(graceful);
      const spec = {
        nodeName: 'node-1',
        terminationGracePeriodSeconds: 20,
        containers: [{ name: 'c', image: 'i' }],
      };
      await g.core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'bound' }, spec } });
      await g.core.deleteNamespacedPod({ namespace: 'default', name: 'bound' });
      const terminating = await g.core.readNamespacedPod({ namespace: 'default', name: 'bound' });
      assert.equal(terminating.metadata!.deletionGracePeriodSeconds, 20);
      assert.ok(terminating.metadata!.deletionTimestamp!.getTime() > Date.now() + 15_000);
      await g.core.deleteNamespacedPod({ namespace: 'default', name: 'bound', gracePeriodSeconds: 0 });
      const err = await rejection(g.core.readNamespacedPod({ namespace: 'default', name: 'bound' }));
      assert.ok(err instanceof k8s.ApiException && err.code === 404);
      await g.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'unbound' }, spec: { containers: spec.containers } },
      });
      await g.core.deleteNamespacedPod({ namespace: 'default', name: 'unbound' });
      assert.ok(
        (await rejection(g.core.readNamespacedPod({ namespace: 'default', name: 'unbound' }))) instanceof
          k8s.ApiException,
      );
    } finally {
      await graceful.stop();
    }
  });
});

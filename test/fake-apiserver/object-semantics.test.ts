/**
 * Conformance of the fake's object semantics, through the real client library: system metadata,
 * resourceVersion, optimistic concurrency, generateName, namespaces, Status errors.
 */

import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import { clientsFor, k8s, mergePatch, startWithFixtures, statusOf, type Clients } from './harness.js';

function pod(name: string, extra: Partial<k8s.V1ObjectMeta> = {}): k8s.V1Pod {
  return { metadata: { name, ...extra }, spec: { containers: [{ name: 'main', image: 'busybox' }] } };
}

function withHolder(lease: k8s.V1Lease, holderIdentity: string): k8s.V1Lease {
  const copy = structuredClone(lease);
  copy.spec!.holderIdentity = holderIdentity;
  return copy;
}

describe('FakeApiServer: object semantics', () => {
  let server: FakeApiServer;
  let c: Clients;

  beforeEach(async () => {
    server = await startWithFixtures();
    c = clientsFor(server);
  });
  afterEach(() => server.stop());

  // https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions: one counter (etcd's
  // revision) for all resources, so later writes of any kind have larger versions.
  it('gives every write a larger resourceVersion than the last, across resource types', async () => {
    const p = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    const s = await c.core.createNamespacedServiceAccount({
      namespace: 'default',
      body: { metadata: { name: 'sa' } },
    });
    const p2 = await c.core.patchNamespacedPod(
      { namespace: 'default', name: 'a', body: { metadata: { labels: { x: 'y' } } } },
      mergePatch,
    );
    const rvs = [p, s, p2].map((o) => Number(o.metadata!.resourceVersion));
    assert.deepEqual(
      [...rvs].sort((x, y) => x - y),
      rvs,
    );
    assert.equal(new Set(rvs).size, 3);
  });

  // ObjectMeta docs (https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/object-meta/):
  // uid and creationTimestamp are set by the server, are read-only, and survive updates.
  it('sets uid and creationTimestamp on create and keeps them on update', async () => {
    const created = await c.core.createNamespacedPod({
      namespace: 'default',
      body: pod('a', { uid: 'mine' }),
    });
    assert.match(created.metadata!.uid!, /^[0-9a-f-]{36}$/);
    assert.ok(created.metadata!.creationTimestamp instanceof Date);
    created.metadata!.uid = 'changed';
    created.metadata!.labels = { a: 'b' };
    const updated = await c.core.replaceNamespacedPod({ namespace: 'default', name: 'a', body: created });
    assert.notEqual(updated.metadata!.uid, 'changed');
    assert.equal(
      updated.metadata!.uid,
      (await c.core.readNamespacedPod({ namespace: 'default', name: 'a' })).metadata!.uid,
    );
  });

  // Optimistic concurrency (https://kubernetes.io/docs/reference/using-api/api-concepts/#conflicts):
  // an update carrying a stale resourceVersion is refused with 409 Conflict.
  it('refuses an update with a stale resourceVersion with 409 Conflict', async () => {
    const first = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await c.core.patchNamespacedPod(
      { namespace: 'default', name: 'a', body: { metadata: { labels: { v: '2' } } } },
      mergePatch,
    );
    const status = await statusOf(
      c.core.replaceNamespacedPod({ namespace: 'default', name: 'a', body: first }),
      409,
    );
    assert.equal(status.reason, 'Conflict');
    assert.equal(
      status.message,
      'Operation cannot be fulfilled on pods "a": the object has been modified; please apply your changes to the latest version and try again',
    );
    assert.deepEqual(status.details, { name: 'a', kind: 'pods' });
  });

  // A merge patch that names a resourceVersion is conditional on it, like an update (same conflict path).
  it('refuses a merge patch carrying a stale resourceVersion with 409 Conflict', async () => {
    const first = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    await c.core.patchNamespacedPod(
      { namespace: 'default', name: 'a', body: { metadata: { labels: { v: '2' } } } },
      mergePatch,
    );
    const stale = { metadata: { resourceVersion: first.metadata!.resourceVersion, labels: { v: '3' } } };
    await statusOf(
      c.core.patchNamespacedPod({ namespace: 'default', name: 'a', body: stale }, mergePatch),
      409,
    );
  });

  // apiserver/pkg/storage/etcd3/store.go GuaranteedUpdate: an update whose result equals the stored object
  // is not written — no new resourceVersion, no watch event.
  it('does not write an update that changes nothing', async () => {
    const created = await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    const same = await c.core.replaceNamespacedPod({ namespace: 'default', name: 'a', body: created });
    assert.equal(same.metadata!.resourceVersion, created.metadata!.resourceVersion);
  });

  // api-concepts "Generated values": generateName + 5 random characters, name set by the server.
  it('generates a name from generateName', async () => {
    const created = await c.core.createNamespacedPod({
      namespace: 'default',
      body: pod('', { name: undefined, generateName: 'probe-' }),
    });
    assert.match(created.metadata!.name!, /^probe-[a-z0-9]{5}$/);
  });

  it('answers a create without name or generateName with 422 and the field path', async () => {
    const status = await statusOf(
      c.core.createNamespacedPod({ namespace: 'default', body: pod('', { name: undefined }) }),
      422,
    );
    assert.equal(status.details?.causes?.[0]?.field, 'metadata.name');
    assert.equal(
      status.message,
      'Pod "" is invalid: metadata.name: Required value: name or generateName is required',
    );
  });

  // apimachinery/pkg/api/errors NewAlreadyExists and NewNotFound messages.
  it('answers AlreadyExists (409) and NotFound (404) with kube-apiserver messages', async () => {
    await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    const exists = await statusOf(c.core.createNamespacedPod({ namespace: 'default', body: pod('a') }), 409);
    assert.equal(exists.reason, 'AlreadyExists');
    assert.equal(exists.message, 'pods "a" already exists');
    const missing = await statusOf(c.core.readNamespacedPod({ namespace: 'default', name: 'zz' }), 404);
    assert.equal(missing.reason, 'NotFound');
    assert.equal(missing.message, 'pods "zz" not found');
  });

  // NamespaceLifecycle admission plugin: creating in a namespace that does not exist is 404 on the namespace.
  it('refuses to create in a namespace that does not exist with 404 namespaces "x" not found', async () => {
    const status = await statusOf(c.core.createNamespacedPod({ namespace: 'nowhere', body: pod('a') }), 404);
    assert.equal(status.message, 'namespaces "nowhere" not found');
    assert.deepEqual(status.details, { name: 'nowhere', kind: 'namespaces' });
  });

  // ServiceAccount admission plugin (kubernetes plugin/pkg/admission/serviceaccount/admission.go, Admit):
  // a pod's service account must exist, else 403 "error looking up service account NS/NAME"; the
  // service-account controller gives every namespace a `default` one
  // (pkg/controller/serviceaccount/serviceaccounts_controller.go).
  it('refuses a pod whose service account does not exist with 403, and gives new namespaces a default one', async () => {
    await c.core.createNamespace({ body: { metadata: { name: 'fresh' } } });
    const sa = await c.core.readNamespacedServiceAccount({ namespace: 'fresh', name: 'default' });
    assert.equal(sa.metadata?.name, 'default');
    const created = await c.core.createNamespacedPod({ namespace: 'fresh', body: pod('plain') });
    assert.equal(created.spec?.serviceAccountName, 'default');
    const body: k8s.V1Pod = {
      metadata: { generateName: 'probe-' },
      spec: { serviceAccountName: 'api', containers: [{ name: 'main', image: 'busybox' }] },
    };
    const status = await statusOf(c.core.createNamespacedPod({ namespace: 'fresh', body }), 403);
    assert.equal(
      status.message,
      'pods "probe-" is forbidden: error looking up service account fresh/api: serviceaccount "api" not found',
    );
    await c.core.createNamespacedServiceAccount({ namespace: 'fresh', body: { metadata: { name: 'api' } } });
    const admitted = await c.core.createNamespacedPod({ namespace: 'fresh', body });
    assert.equal(admitted.spec?.serviceAccountName, 'api');
  });

  // The body's namespace must agree with the URL's (endpoints/handlers/rest.go, BadRequest).
  it('refuses a body whose namespace differs from the URL with 400 BadRequest', async () => {
    const status = await statusOf(
      c.core.createNamespacedPod({ namespace: 'default', body: pod('a', { namespace: 'kube-system' }) }),
      400,
    );
    assert.equal(status.reason, 'BadRequest');
    assert.equal(
      status.message,
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  });

  // Namespace names are RFC 1123 labels (apimachinery ValidateNamespaceName).
  it('validates resource names with the DNS rules of the resource', async () => {
    const status = await statusOf(c.core.createNamespace({ body: { metadata: { name: 'Bad_Name' } } }), 422);
    assert.match(
      status.message,
      /^Namespace "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 label/,
    );
  });

  // Leases are optimistic-concurrency objects for leader election; MicroTime round-trips.
  it('serves coordination.k8s.io/v1 leases with optimistic concurrency', async () => {
    const body: k8s.V1Lease = {
      metadata: { name: 'flowprobe-leader' },
      spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new k8s.V1MicroTime() },
    };
    const lease = await c.leases.createNamespacedLease({ namespace: 'default', body });
    const taken = await c.leases.replaceNamespacedLease({
      namespace: 'default',
      name: 'flowprobe-leader',
      body: withHolder(lease, 'b'),
    });
    assert.equal(taken.spec!.holderIdentity, 'b');
    await statusOf(
      c.leases.replaceNamespacedLease({
        namespace: 'default',
        name: 'flowprobe-leader',
        body: withHolder(lease, 'c'),
      }),
      409,
    );
  });

  // metav1.MicroTime decodes only RFC3339Micro; a millisecond timestamp is a 400 (kubernetes/kubernetes#89156).
  it('refuses a Lease whose renewTime is not a six-digit MicroTime with 400 BadRequest', async () => {
    const base = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'l', namespace: 'default' },
    };
    const objects = c.kc.makeApiClient(k8s.KubernetesObjectApi);
    const status = await statusOf(
      objects.create({ ...base, spec: { renewTime: '2026-01-01T00:00:00.123Z' } } as k8s.KubernetesObject),
      400,
    );
    assert.match(status.message, /cannot be handled as a Lease: parsing time "2026-01-01T00:00:00.123Z"/);
    await objects.create({
      ...base,
      spec: { renewTime: '2026-01-01T00:00:00.123456Z' },
    } as k8s.KubernetesObject);
  });

  it('serves networkpolicies, services, serviceaccounts, core and events.k8s.io events', async () => {
    await c.networking.createNamespacedNetworkPolicy({
      namespace: 'default',
      body: { metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } },
    });
    const svc = await c.core.createNamespacedService({
      namespace: 'default',
      body: { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80 }] } },
    });
    assert.match(svc.spec!.clusterIP!, /^10\.96\./);
    const events = c.kc.makeApiClient(k8s.EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'e1' },
        eventTime: new k8s.V1MicroTime(),
        reason: 'Ran',
        action: 'Probe',
        reportingController: 'flowprobe.dev/operator',
        reportingInstance: 'x',
        type: 'Normal',
      },
    });
    await c.core.createNamespacedEvent({
      namespace: 'default',
      body: { metadata: { name: 'e2' }, involvedObject: { kind: 'Pod', name: 'a' }, reason: 'Ran' },
    });
    assert.equal(
      (await c.core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'involvedObject.kind=Pod' }))
        .items.length,
      1,
    );
    assert.equal((await c.networking.listNetworkPolicyForAllNamespaces()).items.length, 1);
  });

  // ValidateObjectMeta: label keys are qualified names, values at most 63 characters of a restricted set.
  it('refuses malformed label keys and values with 422 at metadata.labels', async () => {
    const status = await statusOf(
      c.core.createNamespacedPod({
        namespace: 'default',
        body: pod('a', { labels: { 'bad key': 'ok', app: 'bad value!' } }),
      }),
      422,
    );
    assert.deepEqual(
      status.details?.causes?.map((x) => x.field),
      ['metadata.labels', 'metadata.labels'],
    );
    assert.match(status.message, /Invalid value: "bad value!": a valid label must be an empty string/);
  });

  // apimachinery/pkg/util/validation IsValidLabelValue: MaxLenError(63), separately from the pattern.
  it("refuses a label value over 63 characters with kube-apiserver's length message", async () => {
    const value = 'a'.repeat(64);
    const status = await statusOf(
      c.core.createNamespacedPod({ namespace: 'default', body: pod('a', { labels: { app: value } }) }),
      422,
    );
    assert.match(status.message, new RegExp(`Invalid value: "${value}": must be no more than 63 characters`));
    assert.doesNotMatch(status.message, /a valid label must be/);
  });

  // ValidateOwnerReferences: uid required; at most one controller reference.
  it('refuses owner references without uid, or with two controllers, with 422', async () => {
    const ref = { apiVersion: 'v1', kind: 'ServiceAccount', name: 'o', uid: '' };
    const noUid = await statusOf(
      c.core.createNamespacedPod({ namespace: 'default', body: pod('a', { ownerReferences: [ref] }) }),
      422,
    );
    assert.match(noUid.message, /metadata.ownerReferences.uid: Invalid value: "": uid must not be empty/);
    const two = [1, 2].map((i) => ({ ...ref, name: `o${i}`, uid: `u${i}`, controller: true }));
    const status = await statusOf(
      c.core.createNamespacedPod({ namespace: 'default', body: pod('b', { ownerReferences: two }) }),
      422,
    );
    assert.match(status.message, /Only one reference can have Controller set to true/);
  });

  it('serves pods/log as text: the only container by default, tailLines, and 400 when a container must be named', async () => {
    await c.core.createNamespacedPod({ namespace: 'default', body: pod('a') });
    server.setPodLog('default', 'a', 'main', 'one\ntwo\nthree\n');
    assert.equal(await c.core.readNamespacedPodLog({ namespace: 'default', name: 'a' }), 'one\ntwo\nthree\n');
    assert.equal(
      await c.core.readNamespacedPodLog({ namespace: 'default', name: 'a', tailLines: 1 }),
      'three\n',
    );
    const body: k8s.V1Pod = {
      metadata: { name: 'two' },
      spec: {
        containers: [
          { name: 'x', image: 'i' },
          { name: 'y', image: 'i' },
        ],
      },
    };
    await c.core.createNamespacedPod({ namespace: 'default', body });
    const status = await statusOf(c.core.readNamespacedPodLog({ namespace: 'default', name: 'two' }), 400);
    assert.equal(status.message, 'a container name must be specified for pod two, choose one of: [x y]');
  });

  it('deletes a collection selected by labels and returns the deleted objects', async () => {
    await c.core.createNamespacedPod({ namespace: 'default', body: pod('a', { labels: { run: '1' } }) });
    await c.core.createNamespacedPod({ namespace: 'default', body: pod('b') });
    // registry/rest DeleteCollection answers with the list of what it deleted (typed V1Status by the client).
    const deleted = await c.core.deleteCollectionNamespacedPod({
      namespace: 'default',
      labelSelector: 'run=1',
    });
    assert.equal(deleted.kind, 'PodList');
    const left = await c.core.listNamespacedPod({ namespace: 'default' });
    assert.deepEqual(
      left.items.map((p) => p.metadata!.name),
      ['b'],
    );
  });

  // One storage for both Event APIs (pkg/apis/events/v1/conversion.go): regarding ⇄ involvedObject,
  // note ⇄ message, reportingController ⇄ reportingComponent.
  it('serves an events.k8s.io/v1 Event through core/v1 too, converted', async () => {
    const events = c.kc.makeApiClient(k8s.EventsV1Api);
    await events.createNamespacedEvent({
      namespace: 'default',
      body: {
        metadata: { name: 'probe-ran' },
        eventTime: new k8s.V1MicroTime(),
        regarding: { kind: 'Pod', name: 'p', namespace: 'default' },
        note: 'probe finished',
        reason: 'Probed',
        action: 'Probe',
        reportingController: 'flowprobe.dev/operator',
        reportingInstance: 'op-1',
        type: 'Normal',
      },
    });
    const core = await c.core.readNamespacedEvent({ namespace: 'default', name: 'probe-ran' });
    assert.deepEqual(
      [core.involvedObject.name, core.message, core.reportingComponent, core.reason],
      ['p', 'probe finished', 'flowprobe.dev/operator', 'Probed'],
    );
    const listed = await c.core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=p',
    });
    assert.deepEqual(
      listed.items.map((e) => e.metadata.name),
      ['probe-ran'],
    );
    const back = await events.readNamespacedEvent({ namespace: 'default', name: 'probe-ran' });
    assert.equal(back.note, 'probe finished');
    assert.equal(back.regarding?.name, 'p');
  });
});

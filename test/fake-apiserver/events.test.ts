/**
 * Conformance of the fake's Events, through the real client library: kube-apiserver's hand-written Event
 * validation (kubernetes pkg/apis/core/validation/events.go) and their expiry after `--event-ttl`
 * (pkg/registry/core/event/storage/storage.go, kubernetes/kubernetes#124836).
 */
import assert from 'node:assert/strict';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import {
  eventually,
  kubeConfigFor,
  k8s,
  mergePatch,
  rejection,
  startWithFixtures,
  statusOf,
} from './harness.js';

function event(name: string, extra: Partial<k8s.EventsV1Event> = {}): k8s.EventsV1Event {
  return {
    metadata: { name },
    eventTime: new k8s.V1MicroTime('2026-11-24T10:00:00.123Z'),
    reportingController: 'flowprobe.dev/operator',
    reportingInstance: 'operator-0',
    action: 'Probe',
    reason: 'DriftDetected',
    note: 'a drifted',
    type: 'Warning',
    regarding: { kind: 'ConnectivityTest', namespace: 'default', name: 't' },
    ...extra,
  };
}

describe('FakeApiServer: Events', () => {
  let server: FakeApiServer;
  let events: k8s.EventsV1Api;
  let core: k8s.CoreV1Api;

  async function start(eventTtlSeconds?: number): Promise<void> {
    server = await startWithFixtures(eventTtlSeconds === undefined ? {} : { eventTtlSeconds });
    const kc = kubeConfigFor(server);
    events = kc.makeApiClient(k8s.EventsV1Api);
    core = kc.makeApiClient(k8s.CoreV1Api);
  }
  afterEach(() => server.stop());

  describe('validation (pkg/apis/core/validation/events.go)', () => {
    beforeEach(() => start());

    // legacyValidateEvent: `len(event.Message) > NoteLengthLimit`, and Go's len counts UTF-8 bytes.
    it('refuses a note over 1024 bytes in UTF-8 even when it has fewer than 1024 characters', async () => {
      const note = '—'.repeat(400); // 400 characters, 1200 bytes
      const status = await statusOf(
        events.createNamespacedEvent({ namespace: 'default', body: event('long', { note }) }),
        422,
      );
      assert.equal(
        status.message,
        'Event.events.k8s.io "long" is invalid: message: Invalid value: "": can have at most 1024 characters',
      );
    });

    it('refuses a 1024-character note cut after a multi-byte character, and takes one of exactly 1024 bytes', async () => {
      // What a truncation counting UTF-16 units makes of a diagnosis with dashes: 1024 characters.
      const cutByCharacters = `${'x — '.repeat(300).slice(0, 1023)}…`;
      await statusOf(
        events.createNamespacedEvent({
          namespace: 'default',
          body: event('chars', { note: cutByCharacters }),
        }),
        422,
      );
      const exactly = `${'—'.repeat(341)}a`; // 1023 + 1 bytes
      assert.equal(Buffer.byteLength(exactly), 1024);
      const created = await events.createNamespacedEvent({
        namespace: 'default',
        body: event('bytes', { note: exactly }),
      });
      assert.equal(created.note, exactly);
    });

    it('refuses the same note through core/v1 as message, for an Event with eventTime', async () => {
      const status = await statusOf(
        core.createNamespacedEvent({
          namespace: 'default',
          body: {
            metadata: { name: 'core-long' },
            eventTime: new k8s.V1MicroTime('2026-11-24T10:00:00.123Z'),
            reportingComponent: 'flowprobe.dev/operator',
            reportingInstance: 'operator-0',
            action: 'Probe',
            reason: 'DriftDetected',
            message: '—'.repeat(400),
            involvedObject: { kind: 'Pod', namespace: 'default', name: 'a' },
          },
        }),
        422,
      );
      assert.deepEqual(
        status.details?.causes?.map((c) => c.field),
        ['message'],
      );
    });

    // legacyValidateEvent, for Events with eventTime: the reporting fields, action and reason are required.
    it('requires reportingController, reportingInstance, action and reason', async () => {
      const body = event('bare');
      delete body.reportingController;
      delete body.reportingInstance;
      delete body.action;
      delete body.reason;
      const status = await statusOf(events.createNamespacedEvent({ namespace: 'default', body }), 422);
      assert.deepEqual(
        status.details?.causes?.filter((c) => c.reason === 'FieldValueRequired').map((c) => c.field),
        ['reportingController', 'reportingInstance', 'action', 'reason'],
      );
    });

    it('refuses a reportingController that is not a qualified name, and a reason over 128 bytes', async () => {
      const status = await statusOf(
        events.createNamespacedEvent({
          namespace: 'default',
          body: event('bad', { reportingController: 'Flowprobe Operator', reason: 'R'.repeat(129) }),
        }),
        422,
      );
      assert.deepEqual(
        status.details?.causes?.map((c) => c.field),
        ['reportingController', 'reason'],
      );
      assert.match(status.message, /reason: Invalid value: "": can have at most 128 characters/);
    });

    // ValidateEventCreate, strict for events.k8s.io/v1: type Normal|Warning, series count >= 2.
    it('refuses a type other than Normal or Warning and a series of one', async () => {
      const status = await statusOf(
        events.createNamespacedEvent({
          namespace: 'default',
          body: event('odd', {
            type: 'Error',
            series: { count: 1, lastObservedTime: new k8s.V1MicroTime('2026-11-24T10:00:00.123Z') },
          }),
        }),
        422,
      );
      assert.match(status.message, /type: Invalid value: "": has invalid value: Error/);
      assert.match(status.message, /series.count: Invalid value: "": should be at least 2/);
    });

    // ValidateEventUpdate: through events.k8s.io/v1 every field but the series is immutable.
    it('lets a series move on but keeps the note immutable', async () => {
      await events.createNamespacedEvent({ namespace: 'default', body: event('e') });
      const series = { count: 2, lastObservedTime: '2026-11-24T10:01:00.000000Z' };
      const patched = await events.patchNamespacedEvent(
        { namespace: 'default', name: 'e', body: { series } },
        mergePatch,
      );
      assert.equal(patched.series?.count, 2);
      const status = await statusOf(
        events.patchNamespacedEvent(
          { namespace: 'default', name: 'e', body: { note: 'something else' } },
          mergePatch,
        ),
        422,
      );
      assert.match(status.message, /message: Invalid value: "something else": field is immutable/);
    });

    it('still takes old-style core/v1 Events without eventTime (legacy rules only)', async () => {
      const created = await core.createNamespacedEvent({
        namespace: 'default',
        body: { metadata: { name: 'old' }, involvedObject: { kind: 'Pod', name: 'a' }, reason: 'Ran' },
      });
      assert.equal(created.reason, 'Ran');
    });
  });

  describe('expiry (--event-ttl)', () => {
    it('deletes an Event once its TTL has passed, so that patching its series gets 404', async () => {
      await start(0.2);
      await events.createNamespacedEvent({ namespace: 'default', body: event('short-lived') });
      await eventually(async () =>
        (await rejection(events.readNamespacedEvent({ namespace: 'default', name: 'short-lived' })))
          ? true
          : undefined,
      );
      const series = { count: 2, lastObservedTime: '2026-11-24T10:01:00.000000Z' };
      await statusOf(
        events.patchNamespacedEvent(
          { namespace: 'default', name: 'short-lived', body: { series } },
          mergePatch,
        ),
        404,
      );
    });

    it('expires every Event of a namespace on demand, and takes the same name again afterwards', async () => {
      await start();
      await events.createNamespacedEvent({ namespace: 'default', body: event('a') });
      await events.createNamespacedEvent({ namespace: 'kube-system', body: event('b', { regarding: {} }) });
      assert.deepEqual(server.expireEvents('default'), ['default/a']);
      const left = await core.listEventForAllNamespaces();
      assert.deepEqual(
        left.items.map((e) => e.metadata.name),
        ['b'],
      );
      await events.createNamespacedEvent({ namespace: 'default', body: event('a') });
    });
  });
});

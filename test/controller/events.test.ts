import { strict as assert } from 'node:assert';
import type { FlowResult, Verdict } from '../../src/api/types.js';
import { EventRecorder, type EventSink } from '../../src/controller/event-recorder.js';
import { microTime } from '../../src/kube/index.js';
import { verdictEvents } from '../../src/controller/verdict-events.js';

function r(flow: string, verdict: Verdict): FlowResult {
  return {
    flow,
    expected: 'Denied',
    outcome: 'Connected',
    detail: 'tcp-open',
    verdict,
    predicted: 'Denied',
    diagnosis: `why ${flow}`,
  };
}

describe('events for verdict changes', () => {
  it('warns once per run about every flow that started drifting, naming each', () => {
    const events = verdictEvents([r('a', 'Pass'), r('b', 'Pass')], [r('a', 'Fail'), r('b', 'Fail')]);
    assert.deepEqual(events, [{ type: 'Warning', reason: 'DriftDetected', note: 'a: why a; b: why b' }]);
  });

  it('says nothing while a drifting flow keeps drifting', () => {
    assert.deepEqual(verdictEvents([r('a', 'Fail')], [r('a', 'Fail')]), []);
  });

  it('reports resolved drift as a Normal event', () => {
    assert.deepEqual(verdictEvents([r('a', 'Fail')], [r('a', 'Pass')]), [
      { type: 'Normal', reason: 'DriftResolved', note: 'a holds again' },
    ]);
  });

  it('warns about drift on a first run', () => {
    assert.equal(verdictEvents(undefined, [r('a', 'Fail')])[0]?.reason, 'DriftDetected');
  });

  it('warns about new probe errors', () => {
    assert.equal(verdictEvents([r('a', 'Pass')], [r('a', 'Error')])[0]?.reason, 'ProbeErrors');
  });

  it('keeps a note within the 1 kB events.k8s.io/v1 limit', () => {
    const many = Array.from({ length: 100 }, (_, i) => r(`flow-${i}`, 'Fail'));
    const [event] = verdictEvents(undefined, many);
    assert.ok(event && event.note.length <= 1024);
  });
});

/** A FAKE event sink that records calls and can pretend an event already exists. */
class RecordingSink implements EventSink {
  calls: [string, string, object][] = [];
  exists = false;
  createEvent(namespace: string, body: object): Promise<unknown> {
    this.calls.push(['create', namespace, body]);
    if (this.exists) return Promise.reject(Object.assign(new Error('exists'), { alreadyExists: true }));
    return Promise.resolve(body);
  }
  patchEvent(namespace: string, name: string, patch: object): Promise<unknown> {
    this.calls.push(['patch', `${namespace}/${name}`, patch]);
    return Promise.resolve(patch);
  }
}

describe('the event recorder', () => {
  const regarding = {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    namespace: 'prod',
    name: 'baseline',
    uid: 'u1',
  };
  const intent = { type: 'Warning' as const, reason: 'DriftDetected' as const, note: 'a: why a' };
  const now = () => new Date('2026-11-24T10:00:00.123Z');

  it('creates an events.k8s.io/v1 Event about the test', async () => {
    const sink = new RecordingSink();
    await new EventRecorder(sink, 'operator-0', now).record(regarding, intent);
    const call = sink.calls.at(0);
    assert.ok(call);
    assert.equal(call[0], 'create');
    assert.deepEqual(
      { ...(call[2] as Record<string, unknown>), metadata: undefined },
      {
        apiVersion: 'events.k8s.io/v1',
        kind: 'Event',
        metadata: undefined,
        eventTime: '2026-11-24T10:00:00.123000Z',
        reportingController: 'flowprobe.dev/operator',
        reportingInstance: 'operator-0',
        action: 'Probe',
        reason: 'DriftDetected',
        note: 'a: why a',
        type: 'Warning',
        regarding,
      },
    );
  });

  it('turns a repeat into a series update instead of a new Event', async () => {
    const sink = new RecordingSink();
    const recorder = new EventRecorder(sink, 'operator-0', now);
    await recorder.record(regarding, intent);
    await recorder.record(regarding, intent);
    await recorder.record(regarding, intent);
    assert.deepEqual(
      sink.calls.map(([verb]) => verb),
      ['create', 'patch', 'patch'],
    );
    assert.deepEqual(sink.calls.at(2)?.[2], {
      series: { count: 3, lastObservedTime: '2026-11-24T10:00:00.123000Z' },
    });
  });

  it('continues the series of an Event an earlier operator instance wrote', async () => {
    const sink = new RecordingSink();
    sink.exists = true;
    await new EventRecorder(sink, 'operator-1', now).record(regarding, intent);
    assert.deepEqual(
      sink.calls.map(([verb]) => verb),
      ['create', 'patch'],
    );
  });

  it('writes times with six fractional digits, as MicroTime requires', () => {
    assert.equal(microTime(new Date('2026-01-02T03:04:05.006Z')), '2026-01-02T03:04:05.006000Z');
  });
});

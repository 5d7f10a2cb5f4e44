import { strict as assert } from 'node:assert';
import type { FlowResult, Verdict } from '../../src/api/types.js';
import { fitNote } from '../../src/controller/event-note.js';
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
});

// kube-apiserver refuses a note over 1024 bytes, counted in UTF-8 (Go's len; kubernetes
// pkg/apis/core/validation/events.go, legacyValidateEvent), and diagnoses carry multi-byte characters (—).
describe('fitting an event note into 1024 UTF-8 bytes', () => {
  const cases: [string, string][] = [
    ['ASCII', 'a'.repeat(3000)],
    ['em dashes (3 bytes each)', 'flow: expected Denied — the policies allow it; '.repeat(40)],
    ['emoji (4 bytes, two UTF-16 units each)', '🚦'.repeat(600)],
    ['two-byte letters', 'é'.repeat(1000)],
  ];
  for (const [what, note] of cases) {
    it(`cuts a long note of ${what} at a character boundary, ending in an ellipsis`, () => {
      const fitted = fitNote(note);
      assert.ok(Buffer.byteLength(fitted) <= 1024, `${Buffer.byteLength(fitted)} bytes`);
      assert.ok(fitted.endsWith('…'));
      const kept = fitted.slice(0, -1);
      assert.ok(note.startsWith(kept), 'the kept part is a prefix of the note');
      assert.equal(Buffer.from(kept).toString('utf8'), kept, 'no character was split');
      const next = String.fromCodePoint(note.codePointAt(kept.length)!);
      assert.ok(Buffer.byteLength(kept + next + '…') > 1024, 'as much as fits is kept');
    });
  }

  it('leaves a note of exactly 1024 bytes as it is', () => {
    const note = `${'—'.repeat(341)}a`;
    assert.equal(fitNote(note), note);
  });
});

/**
 * A FAKE event sink that records calls and keeps the Events it was given, as an API server would: a create
 * of an existing name is AlreadyExists, a patch of a missing one NotFound. `failNext` makes writes fail.
 */
class RecordingSink implements EventSink {
  calls: [string, string, object][] = [];
  stored = new Map<string, object>();
  failNext = 0;
  createEvent(namespace: string, body: object): Promise<unknown> {
    this.calls.push(['create', namespace, body]);
    if (this.failNext > 0 && this.failNext--) return Promise.reject(new Error('injected 500'));
    const name = (body as { metadata: { name: string } }).metadata.name;
    if (this.stored.has(name))
      return Promise.reject(Object.assign(new Error('exists'), { alreadyExists: true }));
    this.stored.set(name, body);
    return Promise.resolve(body);
  }
  patchEvent(namespace: string, name: string, patch: object): Promise<unknown> {
    this.calls.push(['patch', `${namespace}/${name}`, patch]);
    if (this.failNext > 0 && this.failNext--) return Promise.reject(new Error('injected 500'));
    if (!this.stored.has(name)) return Promise.reject(Object.assign(new Error('gone'), { notFound: true }));
    return Promise.resolve(patch);
  }
  verbs(): string[] {
    return this.calls.map(([verb]) => verb);
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
  const other = { type: 'Normal' as const, reason: 'DriftResolved' as const, note: 'a holds again' };
  const HOUR = 3600_000;
  let clock: number;
  let errors: unknown[];
  const recorderOn = (sink: EventSink, instance = 'operator-0') =>
    new EventRecorder(sink, instance, {
      now: () => new Date(clock),
      onError: (err) => errors.push(err),
    });
  beforeEach(() => {
    clock = Date.parse('2026-11-24T10:00:00.123Z');
    errors = [];
  });

  it('creates an events.k8s.io/v1 Event about the test', async () => {
    const sink = new RecordingSink();
    await recorderOn(sink).record(regarding, intent);
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
    const recorder = recorderOn(sink);
    await recorder.record(regarding, intent);
    await recorder.record(regarding, intent);
    clock += 1000;
    await recorder.record(regarding, intent);
    assert.deepEqual(sink.verbs(), ['create', 'patch', 'patch']);
    assert.deepEqual(sink.calls.at(2)?.[2], {
      series: { count: 3, lastObservedTime: '2026-11-24T10:00:01.123000Z' },
    });
  });

  it('continues the series of an Event an earlier operator instance wrote', async () => {
    const sink = new RecordingSink();
    await recorderOn(sink, 'operator-0').record(regarding, intent);
    await recorderOn(sink, 'operator-1').record(regarding, intent);
    assert.deepEqual(sink.verbs(), ['create', 'create', 'patch']);
    assert.deepEqual(errors, []);
  });

  it('sends a note cut to 1024 UTF-8 bytes, however long the intent', async () => {
    const sink = new RecordingSink();
    await recorderOn(sink).record(regarding, { ...intent, note: 'x — '.repeat(400) });
    const note = (sink.calls[0]?.[2] as { note: string }).note;
    assert.ok(Buffer.byteLength(note) <= 1024);
    assert.ok(note.endsWith('…'));
  });

  it('names the Event within the 253 characters of a name, even for a test with a long name', async () => {
    const sink = new RecordingSink();
    await recorderOn(sink).record({ ...regarding, name: `${'a'.repeat(230)}.${'b'.repeat(22)}` }, intent);
    const name = (sink.calls[0]?.[2] as { metadata: { name: string } }).metadata.name;
    assert.ok(name.length <= 253, `${name.length} characters`);
    assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/);
  });

  // kube-apiserver deletes an Event --event-ttl after its last write (1 h by default); the next patch of the
  // series is 404 and client-go creates the Event anew (tools/events/event_broadcaster.go, recordEvent).
  it('creates an Event anew, its series carried on, when the series patch finds it expired', async () => {
    const sink = new RecordingSink();
    const recorder = recorderOn(sink);
    await recorder.record(regarding, intent);
    await recorder.record(regarding, intent);
    sink.stored.clear(); // the API server expired it
    clock += 1000;
    await recorder.record(regarding, intent);
    assert.deepEqual(sink.verbs(), ['create', 'patch', 'patch', 'create']);
    const recreated = sink.calls[3]?.[2] as { note: string; series: unknown; eventTime: string };
    assert.equal(recreated.note, intent.note);
    assert.equal(recreated.eventTime, '2026-11-24T10:00:00.123000Z');
    assert.deepEqual(recreated.series, { count: 3, lastObservedTime: '2026-11-24T10:00:01.123000Z' });
    await recorder.record(regarding, intent);
    assert.equal(sink.verbs().at(-1), 'patch');
    assert.deepEqual(errors, []);
  });

  // Events are best-effort, as client-go's: a write that fails is reported, never thrown at the caller.
  it('never rejects: a failed write goes to onError, and the next occurrence tries again', async () => {
    const sink = new RecordingSink();
    const recorder = recorderOn(sink);
    sink.failNext = 1;
    await recorder.record(regarding, intent);
    assert.equal(errors.length, 1);
    await recorder.record(regarding, intent);
    assert.deepEqual(sink.verbs(), ['create', 'create']);
    assert.equal(sink.stored.size, 1);
  });

  it('forgets events not seen for an event TTL, so its memory does not grow with uptime', async () => {
    const sink = new RecordingSink();
    const recorder = recorderOn(sink);
    await recorder.record(regarding, intent);
    await recorder.record(regarding, other);
    assert.equal(recorder.remembered, 2);
    clock += 30 * 60_000;
    await recorder.record(regarding, other); // seen again: remembered for another hour
    clock += 45 * 60_000;
    await recorder.record({ ...regarding, uid: 'u2' }, intent);
    assert.equal(recorder.remembered, 2, 'the first event, unseen for 75 minutes, is forgotten');
    clock += HOUR + 1;
    await recorder.record({ ...regarding, uid: 'u3' }, intent);
    assert.equal(recorder.remembered, 1);
  });

  it('writes times with six fractional digits, as MicroTime requires', () => {
    assert.equal(microTime(new Date('2026-01-02T03:04:05.006Z')), '2026-01-02T03:04:05.006000Z');
  });
});

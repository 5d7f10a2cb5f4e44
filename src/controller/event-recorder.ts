// Writes events.k8s.io/v1 Events for a ConnectivityTest, as client-go's recorder does
// (staging/src/k8s.io/client-go/tools/events/event_broadcaster.go):
// - de-duplicated: the same reason and note about the same object again becomes a series update on the
//   existing Event (count, lastObservedTime) instead of a new object each time;
// - through expiry: kube-apiserver deletes an Event `--event-ttl` (1 h by default) after its last write
//   (kubernetes/kubernetes#124836), so the next series patch gets 404; the Event is then created anew, its
//   series carried on;
// - bounded: an event not seen for an event TTL is forgotten (its Event has most likely expired too);
// - best-effort: `record` never rejects. A failed write goes to `onError` and the occurrence is dropped; a
//   later occurrence tries again. A reconcile never fails, or loses its run, for the sake of an event.
import { createHash } from 'node:crypto';
import { microTime } from '../kube/index.js';
import { fitNote } from './event-note.js';
import { EventWriteError } from './event-write-error.js';
import type { EventIntent } from './verdict-events.js';

export interface EventSink {
  createEvent(namespace: string, body: object): Promise<unknown>;
  patchEvent(namespace: string, name: string, patch: object): Promise<unknown>;
}

export interface Regarding {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  uid: string;
}

export interface EventRecorderOptions {
  now?: () => Date;
  /** How long an event is remembered after it was last seen; default 1 h, kube-apiserver's `--event-ttl`. */
  rememberForMs?: number;
  /** A write failed and that occurrence was dropped (the operator logs it). */
  onError?: (err: EventWriteError) => void;
}

export const REPORTING_CONTROLLER = 'flowprobe.dev/operator';

const DEFAULT_REMEMBER_MS = 60 * 60_000;
/** A cap besides the age, for a burst of distinct events; the least recently seen go first. */
const MAX_REMEMBERED = 4096;
/** metadata.name is a DNS subdomain of at most 253 characters; the suffix is `.` and 16 hex digits. */
const MAX_NAME = 253;
const KEY_LENGTH = 16;

interface Occurrence {
  name: string;
  /** The first occurrence's time: the Event's eventTime, also when it is created anew after expiry. */
  firstTime: string;
  count: number;
}

export class EventRecorder {
  /** Remembered events, least recently seen first (each sighting moves its entry to the end). */
  private readonly seen = new Map<string, Occurrence & { lastSeen: number }>();
  private readonly now: () => Date;
  private readonly rememberForMs: number;

  constructor(
    private readonly sink: EventSink,
    private readonly reportingInstance: string,
    private readonly options: EventRecorderOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.rememberForMs = options.rememberForMs ?? DEFAULT_REMEMBER_MS;
  }

  /** How many events the recorder remembers (to continue their series). */
  get remembered(): number {
    return this.seen.size;
  }

  /** Writes one occurrence of the event; never rejects (see the file's comment). */
  async record(regarding: Regarding, intent: EventIntent): Promise<void> {
    const at = this.now();
    this.forgetSeenBefore(at.getTime() - this.rememberForMs);
    const fitted = { ...intent, note: fitNote(intent.note) };
    const key = createHash('sha256')
      .update(`${regarding.uid}\n${fitted.reason}\n${fitted.note}`)
      .digest('hex')
      .slice(0, KEY_LENGTH);
    const earlier = this.seen.get(key);
    const time = microTime(at);
    const occurrence: Occurrence = earlier
      ? { name: earlier.name, firstTime: earlier.firstTime, count: earlier.count + 1 }
      : { name: eventName(regarding.name, key), firstTime: time, count: 1 };
    try {
      const count = await this.write(this.event(regarding, fitted, occurrence, time), occurrence, time);
      this.remember(key, { ...occurrence, count, lastSeen: at.getTime() });
    } catch (err) {
      const error = new EventWriteError(
        eventNamespace(regarding),
        occurrence.name,
        regarding.name,
        intent.reason,
        {
          cause: err,
        },
      );
      this.options.onError?.(error);
    }
  }

  /** Creates the Event or continues its series; returns the series count the API server now holds. */
  private async write(event: EventBody, occurrence: Occurrence, time: string): Promise<number> {
    const { namespace } = event.metadata;
    if (occurrence.count > 1) {
      try {
        await this.sink.patchEvent(namespace, occurrence.name, { series: event.series });
        return occurrence.count;
      } catch (err) {
        // Expired after --event-ttl (or deleted): create it anew, its series carried on, as client-go does.
        if (!(err as { notFound?: boolean }).notFound) throw err;
      }
      await this.sink.createEvent(namespace, event);
      return occurrence.count;
    }
    try {
      await this.sink.createEvent(namespace, event);
      return 1;
    } catch (err) {
      // Written by an earlier instance of the operator (same name, same content): continue its series.
      if (!(err as { alreadyExists?: boolean }).alreadyExists) throw err;
      await this.sink.patchEvent(namespace, occurrence.name, {
        series: { count: 2, lastObservedTime: time },
      });
      return 2;
    }
  }

  private forgetSeenBefore(cutoff: number): void {
    for (const [key, entry] of this.seen) {
      if (entry.lastSeen >= cutoff) return;
      this.seen.delete(key);
    }
  }

  private remember(key: string, entry: Occurrence & { lastSeen: number }): void {
    this.seen.delete(key);
    this.seen.set(key, entry);
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
  }

  private event(regarding: Regarding, intent: EventIntent, occurrence: Occurrence, time: string): EventBody {
    const { namespace, ...clusterScoped } = regarding;
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name: occurrence.name, namespace: eventNamespace(regarding) },
      eventTime: occurrence.firstTime,
      ...(occurrence.count > 1 ? { series: { count: occurrence.count, lastObservedTime: time } } : {}),
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.reportingInstance,
      action: 'Probe',
      reason: intent.reason,
      note: intent.note,
      type: intent.type,
      regarding: namespace === '' ? clusterScoped : { ...regarding },
    };
  }
}

interface EventBody {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string };
  eventTime: string;
  series?: { count: number; lastObservedTime: string };
  [field: string]: unknown;
}

/**
 * Where an Event lives: its object's namespace, or `default` for a cluster-scoped object (a
 * ClusterConnectivityTest), as client-go's recorders put it (tools/events/event_recorder.go and
 * tools/record/event.go, `makeEvent`: an empty namespace becomes metav1.NamespaceDefault). kube-apiserver
 * accepts such an Event only in `default` or `kube-system` (pkg/apis/core/validation/events.go,
 * legacyValidateEvent), and `kubectl describe cctest NAME` looks for it in `default`.
 */
function eventNamespace(regarding: Regarding): string {
  return regarding.namespace === '' ? 'default' : regarding.namespace;
}

/** `<test>.<key>`, the test's name cut so that the whole stays a valid name of at most 253 characters. */
function eventName(testName: string, key: string): string {
  const prefix = testName.slice(0, MAX_NAME - KEY_LENGTH - 1).replace(/[-.]+$/, '');
  return `${prefix}.${key}`;
}

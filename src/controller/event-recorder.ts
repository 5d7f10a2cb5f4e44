// Writes events.k8s.io/v1 Events for a ConnectivityTest, de-duplicated: the same reason and note about the
// same object again becomes a series update on the existing Event (count, lastObservedTime), as
// client-go's event recorder does, instead of a new object each time.
import { createHash } from 'node:crypto';
import { microTime } from '../kube/index.js';
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

export const REPORTING_CONTROLLER = 'flowprobe.dev/operator';

/** Remembered events, oldest forgotten first, so the recorder's memory stays bounded. */
const MAX_REMEMBERED = 4096;

export class EventRecorder {
  private readonly seen = new Map<string, { name: string; count: number }>();

  constructor(
    private readonly sink: EventSink,
    private readonly reportingInstance: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async record(regarding: Regarding, intent: EventIntent): Promise<void> {
    const key = createHash('sha256')
      .update(`${regarding.uid}\n${intent.reason}\n${intent.note}`)
      .digest('hex')
      .slice(0, 16);
    const time = microTime(this.now());
    const earlier = this.seen.get(key);
    if (earlier) {
      earlier.count++;
      await this.sink.patchEvent(regarding.namespace, earlier.name, {
        series: { count: earlier.count, lastObservedTime: time },
      });
      return;
    }
    const name = `${regarding.name}.${key}`;
    try {
      await this.sink.createEvent(regarding.namespace, this.event(name, regarding, intent, time));
      this.remember(key, name, 1);
    } catch (err) {
      // Written by an earlier instance of the operator (same name, same content): continue its series.
      if (!(err as { alreadyExists?: boolean }).alreadyExists) throw err;
      await this.sink.patchEvent(regarding.namespace, name, { series: { count: 2, lastObservedTime: time } });
      this.remember(key, name, 2);
    }
  }

  private remember(key: string, name: string, count: number): void {
    this.seen.set(key, { name, count });
    if (this.seen.size > MAX_REMEMBERED) this.seen.delete(this.seen.keys().next().value as string);
  }

  private event(name: string, regarding: Regarding, intent: EventIntent, time: string): object {
    return {
      apiVersion: 'events.k8s.io/v1',
      kind: 'Event',
      metadata: { name, namespace: regarding.namespace },
      eventTime: time,
      reportingController: REPORTING_CONTROLLER,
      reportingInstance: this.reportingInstance,
      action: 'Probe',
      reason: intent.reason,
      note: intent.note,
      type: intent.type,
      regarding: { ...regarding },
    };
  }
}

/**
 * core/v1 Event ⇄ events.k8s.io/v1 Event. kube-apiserver keeps one storage for both and converts
 * (pkg/apis/events/v1/conversion.go), so an Event written through either API is listed and watched through
 * both. Storage holds the core/v1 shape here.
 */
import { deepCopy, type KubeObject } from './types.js';

/** events.k8s.io/v1 field → core/v1 field; the other fields have the same name in both. */
const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
  ['reportingController', 'reportingComponent'],
];

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out = deepCopy(obj);
  for (const [from, to] of pairs) {
    if (!(from in out)) continue;
    out[to] = out[from];
    Reflect.deleteProperty(out, from);
  }
  out.apiVersion = apiVersion;
  out.kind = 'Event';
  return out;
}

export function eventToCore(obj: KubeObject): KubeObject {
  return rename(obj, RENAMES, 'v1');
}

export function eventFromCore(obj: KubeObject): KubeObject {
  return rename(
    obj,
    RENAMES.map(([a, b]) => [b, a]),
    'events.k8s.io/v1',
  );
}

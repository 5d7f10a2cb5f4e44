/**
 * metav1.MicroTime fields decode only in RFC3339Micro ("2006-01-02T15:04:05.000000Z07:00", six fractional
 * digits); kube-apiserver refuses anything else as a body it cannot decode (400), e.g. a JavaScript Date's
 * three digits (kubernetes/kubernetes#89156). Which fields are MicroTime: the Lease spec times and the
 * events.k8s.io Event times.
 */
import { badRequest } from './status-errors.js';
import type { ResourceDef } from './resources.js';
import { isRecord, type KubeObject } from './types.js';

const MICRO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

const FIELDS: Record<string, string[][]> = {
  'coordination.k8s.io/leases': [
    ['spec', 'acquireTime'],
    ['spec', 'renewTime'],
  ],
  'events.k8s.io/events': [['eventTime'], ['series', 'lastObservedTime']],
  '/events': [['eventTime'], ['series', 'lastObservedTime']],
};

function valueAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const part of path) cur = isRecord(cur) ? cur[part] : undefined;
  return cur;
}

export function checkMicroTimes(def: ResourceDef, obj: KubeObject): void {
  for (const path of FIELDS[`${def.group}/${def.plural}`] ?? []) {
    const value = valueAt(obj, path);
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !MICRO_TIME.test(value)) {
      throw badRequest(
        `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: parsing time ${JSON.stringify(value)} as "2006-01-02T15:04:05.000000Z07:00": cannot parse as RFC3339Micro`,
      );
    }
  }
}

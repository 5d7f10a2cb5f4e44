/**
 * What a DELETE does to an object (apiserver/pkg/registry/rest/delete.go BeforeDelete, and the pod strategy's
 * CheckGracefulDelete): remove it now, or keep it with a deletionTimestamp — because finalizers hold it,
 * because it is a namespace (the namespace controller finishes it), or, when graceful pod deletion is on,
 * because a pod bound to a node waits for its kubelet to confirm with a zero grace period.
 */
import { now } from './object-meta.js';
import type { ResourceDef } from './resources.js';
import { conflict } from './status-errors.js';
import { deepCopy, isRecord, jsonEqual, type KubeObject } from './types.js';

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
}

export interface DeleteResult {
  object: KubeObject;
  /** false when the object stays (it only got a deletionTimestamp). */
  deleted: boolean;
}

export type DeletionPlan = { remove: true } | { remove: false; object: KubeObject; changed: boolean };

function gr(def: ResourceDef): { group: string; resource: string } {
  return { group: def.group, resource: def.plural };
}

export function checkPreconditions(def: ResourceDef, obj: KubeObject, options: DeleteOptions): void {
  const pre = options.preconditions;
  const name = obj.metadata.name ?? '';
  if (pre?.uid !== undefined && pre.uid !== obj.metadata.uid)
    throw conflict(
      gr(def),
      name,
      `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${obj.metadata.uid ?? ''}`,
    );
  if (pre?.resourceVersion !== undefined && pre.resourceVersion !== obj.metadata.resourceVersion)
    throw conflict(
      gr(def),
      name,
      `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion ?? ''}`,
    );
}

/** CheckGracefulDelete of pods: unscheduled or finished pods go at once; others wait their grace period. */
function podGracePeriod(def: ResourceDef, obj: KubeObject, options: DeleteOptions): number {
  if (def.group !== '' || def.plural !== 'pods') return 0;
  const spec = isRecord(obj.spec) ? obj.spec : {};
  const phase = isRecord(obj.status) ? obj.status.phase : undefined;
  if (
    typeof spec.nodeName !== 'string' ||
    spec.nodeName === '' ||
    phase === 'Failed' ||
    phase === 'Succeeded'
  )
    return 0;
  const fromSpec =
    typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  return options.gracePeriodSeconds ?? fromSpec;
}

export function planDeletion(
  def: ResourceDef,
  obj: KubeObject,
  options: DeleteOptions,
  graceful: boolean,
): DeletionPlan {
  const finalizers = [...(obj.metadata.finalizers ?? [])];
  if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion'))
    finalizers.push('foregroundDeletion');
  const isNamespace = def.group === '' && def.plural === 'namespaces';
  const grace = graceful ? podGracePeriod(def, obj, options) : 0;
  if (finalizers.length === 0 && !isNamespace && grace === 0) return { remove: true };
  if (obj.metadata.deletionTimestamp && jsonEqual(finalizers, obj.metadata.finalizers ?? []))
    return { remove: false, object: obj, changed: false };
  return { remove: false, object: markDeleting(obj, finalizers, isNamespace, grace), changed: true };
}

/** BeforeDelete: deletionTimestamp (now + grace), deletionGracePeriodSeconds, generation + 1. */
function markDeleting(
  obj: KubeObject,
  finalizers: string[],
  isNamespace: boolean,
  grace: number,
): KubeObject {
  const next = deepCopy(obj);
  if (finalizers.length > 0) next.metadata.finalizers = finalizers;
  if (!next.metadata.deletionTimestamp) {
    next.metadata.deletionTimestamp =
      grace === 0 ? now() : new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    next.metadata.deletionGracePeriodSeconds = grace;
    if ((next.metadata.generation ?? 0) > 0) next.metadata.generation = next.metadata.generation! + 1;
  }
  if (isNamespace) next.status = { ...(isRecord(next.status) ? next.status : {}), phase: 'Terminating' };
  return next;
}

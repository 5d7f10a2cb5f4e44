/**
 * Server-side apply, simplified but honest about it (see README.md). What it does, after
 * https://kubernetes.io/docs/reference/using-api/server-side-apply/:
 * - `fieldManager` is required; the body is YAML or JSON with apiVersion, kind and metadata.name;
 * - an absent object is created from the applied configuration;
 * - a present one gets the applied fields merged in (maps merge, lists are replaced — every list is treated as
 *   atomic), and fields this manager applied before but left out now are removed;
 * - each apply manager's fields are recorded in `managedFields` (operation Apply, FieldsV1); applying a value
 *   another apply manager owns, with a different value, is a 409 Conflict unless `force=true`, which takes over.
 * Updates through PUT/PATCH are not tracked as managers.
 */
import { parse as parseYaml } from 'yaml';
import { ApiStatusError, badRequest, conflict, invalid } from './status-errors.js';
import { deepCopy, isRecord, type JsonObject, type KubeObject } from './types.js';
import { now } from './object-meta.js';

type FieldSet = Record<string, unknown>;

export function parseApplyBody(text: string): KubeObject {
  let body: unknown;
  try {
    body = parseYaml(text);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  if (!isRecord(body)) throw badRequest('the body of the request is not an object');
  if (!isRecord(body.metadata)) body.metadata = {};
  return body as KubeObject;
}

export function requireFieldManager(manager: string | null): string {
  if (manager === null || manager === '') {
    // ValidatePatchOptions: field.Required(fieldManager, "is required for apply patch").
    throw invalid('PatchOptions', 'meta.k8s.io', '', [
      {
        reason: 'FieldValueRequired',
        field: 'fieldManager',
        message: 'Required value: is required for apply patch',
      },
    ]);
  }
  return manager;
}

/** The FieldsV1 set of a configuration: `f:` per map key, lists atomic (leaves). */
export function fieldSet(config: unknown, isRoot = true): FieldSet {
  if (!isRecord(config)) return {};
  const set: FieldSet = {};
  for (const [key, value] of Object.entries(config)) {
    if (isRoot && (key === 'apiVersion' || key === 'kind')) continue;
    if (isRoot && key === 'metadata' && isRecord(value)) {
      const meta = Object.fromEntries(
        Object.entries(value).filter(([k]) => k === 'labels' || k === 'annotations'),
      );
      if (Object.keys(meta).length > 0) set['f:metadata'] = fieldSet(meta, false);
      continue;
    }
    set[`f:${key}`] = isRecord(value) ? fieldSet(value, false) : {};
  }
  return set;
}

/** Leaf paths of a field set, e.g. [["spec","port"]]. */
function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [key, child] of Object.entries(set)) {
    const path = [...prefix, key.slice(2)];
    const sub = child as FieldSet;
    if (Object.keys(sub).length === 0) out.push(path);
    else out.push(...leaves(sub, path));
  }
  return out;
}

function valueAt(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const part of path) cur = isRecord(cur) ? cur[part] : undefined;
  return cur;
}

function removeAt(obj: unknown, path: string[]): void {
  const parent = valueAt(obj, path.slice(0, -1));
  if (isRecord(parent)) Reflect.deleteProperty(parent, path[path.length - 1]!);
}

function mergeInto(target: Record<string, unknown>, config: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(config)) {
    const current = target[key];
    if (isRecord(value) && isRecord(current)) mergeInto(current, value);
    else target[key] = deepCopy(value);
  }
}

interface ManagedEntry extends JsonObject {
  manager: string;
  operation: string;
}

function managedFieldsOf(obj: KubeObject): ManagedEntry[] {
  return (obj.metadata.managedFields ?? []) as ManagedEntry[];
}

function entryFor(manager: string, apiVersion: string, set: FieldSet): ManagedEntry {
  return {
    manager,
    operation: 'Apply',
    apiVersion,
    time: now(),
    fieldsType: 'FieldsV1',
    fieldsV1: set as JsonObject,
  };
}

/** Checks ownership conflicts; with `force`, strips the conflicting fields from the other managers. */
function resolveConflicts(
  current: KubeObject,
  config: KubeObject,
  manager: string,
  force: boolean,
  resource: { group: string; resource: string },
): ManagedEntry[] {
  const entries = managedFieldsOf(current).filter((e) => e.manager !== manager);
  const conflicts: string[] = [];
  for (const entry of entries) {
    for (const path of leaves((entry.fieldsV1 ?? {}) as FieldSet)) {
      const applied = valueAt(config, path);
      if (applied === undefined || JSON.stringify(applied) === JSON.stringify(valueAt(current, path)))
        continue;
      conflicts.push(`conflict with "${entry.manager}": .${path.join('.')}`);
      if (force)
        removeAt(
          entry.fieldsV1,
          path.map((p) => `f:${p}`),
        );
    }
  }
  if (conflicts.length > 0 && !force) {
    const err = conflict(resource, current.metadata.name!, '');
    throw new ApiStatusError(
      409,
      'Conflict',
      `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.join('\n')}`,
      err.details,
    );
  }
  return entries;
}

/** The object after applying `config` as `manager` onto `current` (undefined: create). */
export function applyConfiguration(
  current: KubeObject | undefined,
  config: KubeObject,
  manager: string,
  force: boolean,
  resource: { group: string; resource: string },
): KubeObject {
  const set = fieldSet(config);
  const apiVersion = config.apiVersion ?? '';
  if (!current) {
    const created = deepCopy(config);
    created.metadata.managedFields = [entryFor(manager, apiVersion, set)];
    return created;
  }
  const others = resolveConflicts(current, config, manager, force, resource);
  const next = deepCopy(current);
  const previous = managedFieldsOf(current).find((e) => e.manager === manager);
  const nowApplied = new Set(leaves(set).map((p) => p.join('.')));
  const ownedByOthers = new Set(
    others.flatMap((e) => leaves((e.fieldsV1 ?? {}) as FieldSet).map((p) => p.join('.'))),
  );
  for (const path of leaves((previous?.fieldsV1 ?? {}) as FieldSet)) {
    if (!nowApplied.has(path.join('.')) && !ownedByOthers.has(path.join('.'))) removeAt(next, path);
  }
  const { metadata: configMeta, ...rest } = deepCopy(config);
  mergeInto(next, rest);
  mergeInto(next.metadata as Record<string, unknown>, {
    ...(configMeta.labels ? { labels: configMeta.labels } : {}),
    ...(configMeta.annotations ? { annotations: configMeta.annotations } : {}),
  });
  if (configMeta.resourceVersion !== undefined) next.metadata.resourceVersion = configMeta.resourceVersion;
  next.metadata.managedFields = [...others, entryFor(manager, apiVersion, set)];
  return next;
}

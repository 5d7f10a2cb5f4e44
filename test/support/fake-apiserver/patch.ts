/**
 * Patch formats: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and, for built-in types only, strategic
 * merge patch — approximated here as a merge patch (lists replaced, not merged by key; see README.md).
 * Server-side apply lives in server-side-apply.ts.
 */
import { badRequest, ApiStatusError } from './status-errors.js';
import { deepCopy, isRecord } from './types.js';

export const MERGE_PATCH = 'application/merge-patch+json';
export const JSON_PATCH = 'application/json-patch+json';
export const STRATEGIC_MERGE_PATCH = 'application/strategic-merge-patch+json';
export const APPLY_PATCH = 'application/apply-patch+yaml';

/** RFC 7386: objects merge recursively, `null` deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return deepCopy(patch);
  const result: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) Reflect.deleteProperty(result, key);
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

interface JsonPatchOp {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

/** RFC 6901 pointer → tokens (`~1` is `/`, `~0` is `~`). */
function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`invalid JSON pointer: ${path}`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
}

type Container = Record<string, unknown> | unknown[];

function parentOf(doc: unknown, tokens: string[], path: string): [Container, string] {
  let cur: unknown = doc;
  for (const token of tokens.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(token)] : isRecord(cur) ? cur[token] : undefined;
    if (cur === undefined) throw unprocessable(`doc is missing path: "${path}"`);
  }
  if (!Array.isArray(cur) && !isRecord(cur)) throw unprocessable(`doc is missing path: "${path}"`);
  return [cur, tokens[tokens.length - 1] ?? ''];
}

/** kube-apiserver answers a JSON patch that cannot apply with 422 (jsonpatch errors → NewInvalid-like). */
function unprocessable(message: string): ApiStatusError {
  return new ApiStatusError(422, 'Invalid', message);
}

function getAt(doc: unknown, path: string): unknown {
  let cur = doc;
  for (const token of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(token)] : isRecord(cur) ? cur[token] : undefined;
    if (cur === undefined) throw unprocessable(`doc is missing path: "${path}"`);
  }
  return cur;
}

function removeAt(doc: unknown, path: string): unknown {
  const [parent, last] = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length)) throw unprocessable(`doc is missing path: "${path}"`);
    return parent.splice(index, 1)[0];
  }
  if (!Object.hasOwn(parent, last)) throw unprocessable(`doc is missing path: "${path}"`);
  const old = parent[last];
  Reflect.deleteProperty(parent, last);
  return old;
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): unknown {
  const tokens = pointer(path);
  if (tokens.length === 0) return deepCopy(value);
  const [parent, last] = parentOf(doc, tokens, path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length)) throw unprocessable(`doc is missing path: "${path}"`);
    parent.splice(index, replace ? 1 : 0, deepCopy(value));
  } else {
    if (replace && !Object.hasOwn(parent, last)) throw unprocessable(`doc is missing path: "${path}"`);
    parent[last] = deepCopy(value);
  }
  return doc;
}

function applyOp(doc: unknown, op: JsonPatchOp): unknown {
  switch (op.op) {
    case 'add':
      return addAt(doc, op.path, op.value, false);
    case 'replace':
      return addAt(doc, op.path, op.value, true);
    case 'remove':
      removeAt(doc, op.path);
      return doc;
    case 'move':
      return addAt(doc, op.path, removeAt(doc, op.from ?? ''), false);
    case 'copy':
      return addAt(doc, op.path, getAt(doc, op.from ?? ''), false);
    case 'test':
      if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value))
        throw unprocessable(`testing value ${op.path} failed`);
      return doc;
    default:
      throw badRequest(`Unexpected kind: ${op.op}`);
  }
}

export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops))
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = deepCopy(target);
  for (const op of ops as JsonPatchOp[]) doc = applyOp(doc, op);
  return doc;
}

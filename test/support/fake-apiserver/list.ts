/**
 * LIST with kube-apiserver's resourceVersion semantics
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions): unset or "0" → the
 * current state; N with resourceVersionMatch=Exact → the state at N (410 Expired once compacted); N
 * otherwise → not older than N (the current state here, 504 when N is in the future).
 *
 * Pagination as the etcd3 store serves it (apiserver pkg/storage/etcd3/store.go `GetList`, pkg/storage
 * continue.go): `limit` cuts a page, `metadata.continue` is an opaque token holding the first page's
 * resourceVersion and the key to start after, so every page reads the same snapshot; `remainingItemCount`
 * is set only when no selector filters (a count of unfiltered keys would be wrong otherwise). Once that
 * resourceVersion is compacted the token answers 410 Expired with the "inconsistent continue" message and a
 * fresh token (resourceVersion -1: go on at the latest state) in the Status's `metadata.continue`
 * (`handleCompactedErrorForPaging`). A continue token with a resourceVersion is 400.
 */
import { storageKey } from './resource-view.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { ApiStatusError, badRequest, expired } from './status-errors.js';
import type { Store } from './store.js';
import type { KubeObject } from './types.js';

export interface ListQuery {
  resourceVersion: string | null;
  resourceVersionMatch: string | null;
  limit: string | null;
  continueToken: string | null;
  /** A label or field selector was given (remainingItemCount is then unknown). */
  filtered: boolean;
}

/** storage.continueToken: `v`, `rv` (-1: latest), `start` (the key to list from, inclusive). */
interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const TOKEN_VERSION = 'meta.k8s.io/v1';

/** The "inconsistentContinue" message of etcd3/store.go. */
const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

/** base64.RawURLEncoding of the JSON, as storage.EncodeContinue. */
function encodeContinue(rv: number, start: string): string {
  const token: ContinueToken = { v: TOKEN_VERSION, rv, start };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** storage.DecodeContinue, with its errors behind "invalid continue token: " (etcd3 store.go). */
function decodeContinue(value: string): ContinueToken {
  const invalid = (why: string) => badRequest(`invalid continue token: continue key is not valid${why}`);
  let parsed: Partial<ContinueToken>;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString()) as Partial<ContinueToken>;
  } catch (err) {
    throw invalid(`: ${(err as Error).message}`);
  }
  if (parsed.v !== TOKEN_VERSION)
    throw invalid(`: server does not recognize this encoded version ${String(parsed.v)}`);
  if (typeof parsed.rv !== 'number' || parsed.rv === 0)
    throw invalid(': incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof parsed.start !== 'string' || parsed.start === '')
    throw invalid(': encoded start key empty (version meta.k8s.io/v1)');
  return parsed as ContinueToken;
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/**
 * A resourceVersion and the objects stored then, sorted by key. The objects are the store's own (no copies:
 * a page of a 100k-object list copies its 500, not the 100k); only `present` copies what goes out.
 */
interface Snapshot {
  rv: number;
  objects: readonly Readonly<KubeObject>[];
}

/** The snapshot a continue token reads: its resourceVersion's, or the latest for an inconsistent token. */
function continuedSnapshot(store: Store, key: string, token: ContinueToken): Snapshot {
  if (token.rv < 0) return { rv: store.currentRv(), objects: store.sortedView(key) };
  const objects = store.viewAt(key, token.rv);
  if ('compacted' in objects) throw expired(CONTINUE_EXPIRED, { continue: encodeContinue(-1, token.start) });
  return { rv: token.rv, objects };
}

/** The snapshot to read: its resourceVersion and objects. */
function snapshot(store: Store, key: string, query: ListQuery, token: ContinueToken | undefined): Snapshot {
  const current = store.currentRv();
  const rv = query.resourceVersion;
  if (token) {
    if (rv !== null && rv !== '' && rv !== '0')
      throw badRequest('specifying resource version is not allowed when using continue');
    return continuedSnapshot(store, key, token);
  }
  if (rv === null || rv === '' || rv === '0') return { rv: current, objects: store.sortedView(key) };
  const n = Number(rv);
  if (!Number.isInteger(n)) throw badRequest(`invalid resource version: ${rv}`);
  if (query.resourceVersionMatch === 'Exact') {
    const objects = store.viewAt(key, n);
    if ('compacted' in objects) throw expired('The resourceVersion for the provided list is too old.');
    return { rv: n, objects };
  }
  if (n > current)
    throw new ApiStatusError(504, 'Timeout', `Too large resource version: ${n}, current: ${current}`, {
      retryAfterSeconds: 1,
    });
  return { rv: current, objects: store.sortedView(key) };
}

/** The index of the first object whose key is `start` or after (objects are sorted by key). */
function firstFrom(objects: readonly Readonly<KubeObject>[], start: string): number {
  let [low, high] = [0, objects.length];
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (keyOf(objects[mid]!) < start) low = mid + 1;
    else high = mid;
  }
  return low;
}

export function listObjects(
  store: Store,
  def: ResourceDef,
  version: string,
  namespace: string | undefined,
  query: ListQuery,
  matches: (obj: KubeObject) => boolean,
  present: (obj: KubeObject) => KubeObject,
): { kind: string; apiVersion: string; metadata: Record<string, unknown>; items: KubeObject[] } {
  const token = query.continueToken ? decodeContinue(query.continueToken) : undefined;
  const snap = snapshot(store, storageKey(def), query, token);
  let items: Readonly<KubeObject>[] = [];
  for (let i = token ? firstFrom(snap.objects, token.start) : 0; i < snap.objects.length; i++) {
    const o = snap.objects[i]!;
    if ((namespace === undefined || o.metadata.namespace === namespace) && matches(o)) items.push(o);
  }
  const limit = Number(query.limit ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: String(snap.rv) };
  if (limit > 0 && items.length > limit) {
    if (!query.filtered) metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    // Immediately after the last key returned, as etcd3 does (`lastKey + "\x00"`).
    metadata.continue = encodeContinue(snap.rv, `${keyOf(items[items.length - 1]!)}\u0000`);
  }
  return {
    kind: def.listKind ?? `${def.kind}List`,
    apiVersion: apiVersionOf(def, version),
    metadata,
    items: items.map(present),
  };
}

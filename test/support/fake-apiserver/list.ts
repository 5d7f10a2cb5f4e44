/**
 * LIST with kube-apiserver's resourceVersion semantics
 * (https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions): unset or "0" → the
 * current state; N with resourceVersionMatch=Exact → the state at N (410 Expired once compacted); N
 * otherwise → not older than N (the current state here, 504 when N is in the future); limit/continue
 * pagination over a consistent snapshot, whose token expires with compaction.
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
}

interface ContinueToken {
  rv: number;
  start: string;
}

const CONTINUE_EXPIRED =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString()) as ContinueToken;
    if (typeof parsed.rv === 'number' && typeof parsed.start === 'string') return parsed;
  } catch {
    // fall through
  }
  throw badRequest(
    'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
  );
}

function keyOf(obj: KubeObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** The snapshot to read: its resourceVersion and objects. */
function snapshot(
  store: Store,
  key: string,
  query: ListQuery,
  token: ContinueToken | undefined,
): { rv: number; objects: KubeObject[] } {
  const current = store.currentRv();
  if (token) {
    const objects = store.listAt(key, token.rv);
    if ('compacted' in objects) throw expired(CONTINUE_EXPIRED);
    return { rv: token.rv, objects };
  }
  const rv = query.resourceVersion;
  if (rv === null || rv === '' || rv === '0') return { rv: current, objects: store.list(key) };
  const n = Number(rv);
  if (!Number.isInteger(n)) throw badRequest(`invalid resource version: ${rv}`);
  if (query.resourceVersionMatch === 'Exact') {
    const objects = store.listAt(key, n);
    if ('compacted' in objects) throw expired('The resourceVersion for the provided list is too old.');
    return { rv: n, objects };
  }
  if (n > current)
    throw new ApiStatusError(504, 'Timeout', `Too large resource version: ${n}, current: ${current}`, {
      retryAfterSeconds: 1,
    });
  return { rv: current, objects: store.list(key) };
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
  let items = snap.objects
    .filter((o) => namespace === undefined || o.metadata.namespace === namespace)
    .filter(matches)
    .filter((o) => !token || keyOf(o) > token.start);
  const limit = Number(query.limit ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: String(snap.rv) };
  if (limit > 0 && items.length > limit) {
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    const next: ContinueToken = { rv: snap.rv, start: keyOf(items[items.length - 1]!) };
    metadata.continue = Buffer.from(JSON.stringify(next)).toString('base64url');
  }
  return {
    kind: def.listKind ?? `${def.kind}List`,
    apiVersion: apiVersionOf(def, version),
    metadata,
    items: items.map(present),
  };
}

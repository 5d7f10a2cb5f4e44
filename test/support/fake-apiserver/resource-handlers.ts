/**
 * One function per verb on a resource, from a routed request to a response: get, list, watch, create,
 * update, patch, delete, deletecollection, and the `status`, `log` and `scale` (scale-subresource.ts)
 * subresources.
 */
import type { ServerResponse } from 'node:http';
import type { UserInfo } from './authentication.js';
import { parseJson, sendJson, sendText } from './http-io.js';
import { gr, type DeleteOptions, type Lifecycle, type WriteOptions } from './lifecycle.js';
import { listObjects } from './list.js';
import { validateListOptions } from './list-options.js';
import { sendList } from './list-response.js';
import {
  APPLY_PATCH,
  JSON_PATCH,
  jsonPatch,
  MERGE_PATCH,
  mergePatch,
  STRATEGIC_MERGE_PATCH,
} from './patch.js';
import type { PodLogs } from './pod-logs.js';
import type { RequestInfo } from './request-info.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { applyConfiguration, parseApplyBody, requireFieldManager } from './server-side-apply.js';
import {
  badRequest,
  methodNotAllowed,
  notFound,
  resourceNotFound,
  unsupportedMediaType,
} from './status-errors.js';
import type { Store } from './store.js';
import { deepCopy, isRecord, type KubeObject } from './types.js';
import { fromStorage, ResourceView, storageKey } from './resource-view.js';
import { handleScale, scalePathsOf, type ScalePaths } from './scale-subresource.js';
import { toTable } from './table.js';
import { asPartialMetadata, checkMetadataForm, META_V1, type MetadataAs } from './partial-metadata.js';
import type { WatchHub } from './watch.js';

export interface HandlerDeps {
  store: Store;
  lifecycle: Lifecycle;
  watches: WatchHub;
  logs: PodLogs;
  /** The WatchList feature gate (list-options.ts): `sendInitialEvents` watches are served. */
  watchList: boolean;
}

export interface ResourceRequest {
  info: RequestInfo;
  url: URL;
  def: ResourceDef;
  body: string;
  contentType: string;
  /** The client asked for a meta.k8s.io Table (kubectl get). */
  table: boolean;
  /** The client asked for metadata only (partial-metadata.ts). */
  metadataAs?: MetadataAs | undefined;
  res: ServerResponse;
  /** The authenticated requester (admission plugins decide on it). */
  user: UserInfo;
}

const NOT_ALLOWED = 'the server does not allow this method on the requested resource';

function present(def: ResourceDef, version: string): (obj: KubeObject) => KubeObject {
  const convert = fromStorage(def);
  return (obj) => ({ ...deepCopy(convert(obj)), apiVersion: apiVersionOf(def, version), kind: def.kind });
}

function selectorOf(r: ResourceRequest): (obj: KubeObject) => boolean {
  const labels = parseLabelSelector(r.url.searchParams.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(
    r.url.searchParams.get('fieldSelector') ?? undefined,
    `${r.def.group}/${r.def.plural}`,
    r.def.crdName !== undefined,
  );
  return (obj) => matchesLabels(labels, obj) && matchesFields(fields, obj);
}

/** Subresources this resource has; anything else is 404 like an unknown path. */
function checkSubresource(r: ResourceRequest, allowed: string[]): void {
  const sub = r.info.subresource;
  if (sub === 'scale' && scalePathsOf(r.def) && allowed.includes(sub)) return;
  if (sub === '' || (sub === 'status' && r.def.status) || (sub === 'log' && r.def.log)) {
    if (!allowed.includes(sub)) throw methodNotAllowed(NOT_ALLOWED);
    return;
  }
  throw resourceNotFound();
}

function writeOptions(r: ResourceRequest): WriteOptions {
  return { fieldValidation: r.url.searchParams.get('fieldValidation'), user: r.user };
}

function namespaceArg(r: ResourceRequest): string | undefined {
  return r.def.namespaced && r.info.namespace !== '' ? r.info.namespace : undefined;
}

/** The scale subresource's paths when `r` asks for it (scale-subresource.ts). */
function scaleRequest(r: ResourceRequest): ScalePaths | undefined {
  return r.info.subresource === 'scale' ? scalePathsOf(r.def) : undefined;
}

export async function handleGet(deps: HandlerDeps, r: ResourceRequest): Promise<void> {
  checkSubresource(r, ['', 'status', 'log', 'scale']);
  const scale = scaleRequest(r);
  if (scale) return handleScale(deps, r, scale);
  const obj = deps.lifecycle.get(r.def, r.info.namespace, r.info.name);
  if (r.info.subresource === 'log') {
    const q = r.url.searchParams;
    sendText(r.res, 200, deps.logs.read(obj, q.get('container'), q.get('tailLines')));
    return;
  }
  const shaped = present(r.def, r.info.apiVersion)(obj);
  if (r.metadataAs) {
    checkMetadataForm(r.metadataAs, 'PartialObjectMetadata');
    sendJson(r.res, 200, asPartialMetadata(shaped));
    return;
  }
  sendJson(
    r.res,
    200,
    r.table ? toTable(r.def, [shaped], { resourceVersion: obj.metadata.resourceVersion }) : shaped,
  );
}

/** 422 for an invalid combination of list/watch options, before anything is read (list-options.ts). */
function checkListOptions(deps: HandlerDeps, r: ResourceRequest, watch: boolean): void {
  const q = r.url.searchParams;
  validateListOptions(
    {
      watch,
      resourceVersion: q.get('resourceVersion'),
      resourceVersionMatch: q.get('resourceVersionMatch'),
      continueToken: q.get('continue'),
      sendInitialEvents: q.get('sendInitialEvents'),
    },
    deps.watchList,
  );
}

export function handleList(deps: HandlerDeps, r: ResourceRequest): void {
  checkListOptions(deps, r, false);
  const q = r.url.searchParams;
  const list = listObjects(
    deps.store,
    r.def,
    r.info.apiVersion,
    namespaceArg(r),
    {
      resourceVersion: q.get('resourceVersion'),
      resourceVersionMatch: q.get('resourceVersionMatch'),
      limit: q.get('limit'),
      continueToken: q.get('continue'),
      filtered: Boolean(q.get('labelSelector') || q.get('fieldSelector')),
    },
    selectorOf(r),
    present(r.def, r.info.apiVersion),
  );
  if (r.metadataAs) {
    checkMetadataForm(r.metadataAs, 'PartialObjectMetadataList');
    const partial = { ...list, kind: 'PartialObjectMetadataList', apiVersion: META_V1 };
    void sendList(r.res, { ...partial, items: list.items.map(asPartialMetadata) }).catch(() =>
      r.res.destroy(),
    );
    return;
  }
  if (!r.table) {
    void sendList(r.res, list).catch(() => r.res.destroy());
    return;
  }
  sendJson(r.res, 200, toTable(r.def, list.items, list.metadata));
}

export function handleWatch(deps: HandlerDeps, r: ResourceRequest): void {
  checkListOptions(deps, r, true);
  const q = r.url.searchParams;
  const timeout = q.get('timeoutSeconds');
  if (r.metadataAs) checkMetadataForm(r.metadataAs, 'PartialObjectMetadata');
  const shape = present(r.def, r.info.apiVersion);
  deps.watches.serve(
    {
      key: storageKey(r.def),
      namespace: namespaceArg(r),
      resourceVersion: q.get('resourceVersion') ?? undefined,
      matches: selectorOf(r),
      present: r.metadataAs ? (obj) => asPartialMetadata(shape(obj)) : shape,
      allowBookmarks: q.get('allowWatchBookmarks') === 'true',
      sendInitialEvents: q.get('sendInitialEvents') === 'true',
      timeoutSeconds: timeout === null ? undefined : Number(timeout),
      kind: r.metadataAs ? 'PartialObjectMetadata' : r.def.kind,
      apiVersion: r.metadataAs ? META_V1 : apiVersionOf(r.def, r.info.apiVersion),
    },
    r.res,
  );
}

export async function handleCreate(deps: HandlerDeps, r: ResourceRequest): Promise<void> {
  checkSubresource(r, ['']);
  if (r.def.namespaced && r.info.namespace === '') throw methodNotAllowed(NOT_ALLOWED);
  const created = await deps.lifecycle.create(r.def, r.info.namespace, parseJson(r.body), writeOptions(r));
  sendJson(r.res, 201, present(r.def, r.info.apiVersion)(created));
}

export async function handleUpdate(deps: HandlerDeps, r: ResourceRequest): Promise<void> {
  checkSubresource(r, ['', 'status', 'scale']);
  const scale = scaleRequest(r);
  if (scale) return handleScale(deps, r, scale);
  const sub = r.info.subresource === 'status' ? 'status' : undefined;
  const updated = await deps.lifecycle.update(
    r.def,
    r.info.namespace,
    r.info.name,
    parseJson(r.body),
    sub,
    writeOptions(r),
  );
  sendJson(r.res, 200, present(r.def, r.info.apiVersion)(updated));
}

function patched(r: ResourceRequest, current: KubeObject, mediaType: string): unknown {
  const patch = parseJson(r.body);
  if (mediaType === MERGE_PATCH) return mergePatch(current, patch);
  if (mediaType === JSON_PATCH) return jsonPatch(current, patch);
  // Strategic merge patch exists for built-in types only; CRDs answer 415 (stack.md, apiextensions docs).
  if (mediaType === STRATEGIC_MERGE_PATCH && r.def.crdName === undefined) return mergePatch(current, patch);
  const accepted = [JSON_PATCH, MERGE_PATCH, APPLY_PATCH];
  throw unsupportedMediaType(r.def.crdName === undefined ? [...accepted, STRATEGIC_MERGE_PATCH] : accepted);
}

export async function handlePatch(deps: HandlerDeps, r: ResourceRequest): Promise<void> {
  checkSubresource(r, ['', 'status', 'scale']);
  const scale = scaleRequest(r);
  if (scale) return handleScale(deps, r, scale);
  const sub = r.info.subresource === 'status' ? 'status' : undefined;
  const mediaType = r.contentType.split(';')[0]!.trim();
  if (mediaType === APPLY_PATCH) return handleApply(deps, r, sub);
  const current = deps.lifecycle.get(r.def, r.info.namespace, r.info.name);
  const next = patched(r, current, mediaType);
  // A patch applies to the current object; without a resourceVersion of its own it is unconditional.
  if (isRecord(next) && isRecord(next.metadata) && !next.metadata.resourceVersion)
    next.metadata.resourceVersion = current.metadata.resourceVersion;
  const updated = await deps.lifecycle.update(
    r.def,
    r.info.namespace,
    r.info.name,
    next,
    sub,
    writeOptions(r),
  );
  sendJson(r.res, 200, present(r.def, r.info.apiVersion)(updated));
}

async function handleApply(deps: HandlerDeps, r: ResourceRequest, sub: 'status' | undefined): Promise<void> {
  const manager = requireFieldManager(r.url.searchParams.get('fieldManager'));
  const config = parseApplyBody(r.body);
  if (config.metadata.name !== undefined && config.metadata.name !== r.info.name)
    throw badRequest(
      `the name of the object (${config.metadata.name}) does not match the name on the URL (${r.info.name})`,
    );
  config.metadata.name = r.info.name;
  const ns = r.def.namespaced ? r.info.namespace : '';
  const existing = new ResourceView(deps.store, r.def).get(ns, r.info.name);
  const force = r.url.searchParams.get('force') === 'true';
  const next = applyConfiguration(existing, config, manager, force, gr(r.def));
  if (!existing) {
    if (sub) throw notFound(gr(r.def), r.info.name);
    const created = await deps.lifecycle.create(r.def, r.info.namespace, next, writeOptions(r));
    sendJson(r.res, 201, present(r.def, r.info.apiVersion)(created));
    return;
  }
  next.metadata.resourceVersion ??= existing.metadata.resourceVersion;
  const updated = await deps.lifecycle.update(
    r.def,
    r.info.namespace,
    r.info.name,
    next,
    sub,
    writeOptions(r),
  );
  sendJson(r.res, 200, present(r.def, r.info.apiVersion)(updated));
}

function deleteOptions(r: ResourceRequest): DeleteOptions {
  const body = parseJson(r.body);
  const options = (isRecord(body) ? body : {}) as DeleteOptions;
  const policy = r.url.searchParams.get('propagationPolicy');
  if (policy === 'Background' || policy === 'Foreground' || policy === 'Orphan')
    options.propagationPolicy = policy;
  const grace = r.url.searchParams.get('gracePeriodSeconds');
  if (grace !== null) options.gracePeriodSeconds = Number(grace);
  return options;
}

export function handleDelete(deps: HandlerDeps, r: ResourceRequest): void {
  checkSubresource(r, ['']);
  const result = deps.lifecycle.delete(r.def, r.info.namespace, r.info.name, deleteOptions(r));
  sendJson(r.res, 200, present(r.def, r.info.apiVersion)(result.object));
}

export function handleDeleteCollection(deps: HandlerDeps, r: ResourceRequest): void {
  const matches = selectorOf(r);
  const options = deleteOptions(r);
  const items = new ResourceView(deps.store, r.def)
    .list(namespaceArg(r))
    .filter(matches)
    .map((o) => deps.lifecycle.delete(r.def, o.metadata.namespace ?? '', o.metadata.name!, options).object);
  const list = {
    kind: r.def.listKind ?? `${r.def.kind}List`,
    apiVersion: apiVersionOf(r.def, r.info.apiVersion),
    metadata: {},
    items,
  };
  sendJson(r.res, 200, list);
}

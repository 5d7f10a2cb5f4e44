/**
 * The `scale` subresource (autoscaling/v1 Scale): for a CRD that declares `subresources.scale`, as
 * apiextensions-apiserver serves it (pkg/registry/customresource/etcd.go, ScaleREST), and for the
 * built-in workloads that have one (apps/v1 Deployments, StatefulSets, ReplicaSets). The disruption
 * controller reads it to size PodDisruptionBudgets; `kubectl scale` writes it.
 */
import { sendJson, parseJson } from './http-io.js';
import { jsonPatch, JSON_PATCH, mergePatch, MERGE_PATCH } from './patch.js';
import type { HandlerDeps, ResourceRequest } from './resource-handlers.js';
import type { ResourceDef } from './resources.js';
import { badRequest, internalError, unsupportedMediaType } from './status-errors.js';
import { deepCopy, isRecord, type KubeObject } from './types.js';

/** apiextensions.k8s.io/v1 CustomResourceSubresourceScale. */
export interface ScalePaths {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** Built-in resources with a scale subresource (pkg/registry/apps/*); apps/v1 defaults replicas to 1. */
const BUILTIN_SCALE = new Set(['apps/deployments', 'apps/statefulsets', 'apps/replicasets']);

/** Whether `def` serves `scale`, and the paths it reads. */
export function scalePathsOf(def: ResourceDef): ScalePaths | undefined {
  if (def.scale) return def.scale;
  if (!BUILTIN_SCALE.has(`${def.group}/${def.plural}`)) return undefined;
  return { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' };
}

function split(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function valueAt(obj: unknown, path: string): unknown {
  return split(path).reduce<unknown>((v, key) => (isRecord(v) ? v[key] : undefined), obj);
}

function setAt(obj: KubeObject, path: string, value: unknown): void {
  const keys = split(path);
  let node: Record<string, unknown> = obj;
  for (const key of keys.slice(0, -1)) {
    if (!isRecord(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

/** A built-in's selector as the string a Scale carries (matchLabels only: enough for the fake). */
function selectorString(obj: KubeObject): string | undefined {
  const spec = obj.spec;
  const labels = isRecord(spec) && isRecord(spec.selector) ? spec.selector.matchLabels : undefined;
  if (!isRecord(labels)) return undefined;
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/**
 * The Scale of `obj`. A custom resource whose spec replicas field is absent is a 500, as ScaleREST.Get
 * answers ("the spec replicas field %q does not exist"); built-ins are defaulted to 1 replica.
 */
export function scaleOf(def: ResourceDef, paths: ScalePaths, obj: KubeObject): KubeObject {
  let replicas = valueAt(obj, paths.specReplicasPath);
  if (replicas === undefined && def.crdName !== undefined)
    throw internalError(`the spec replicas field "${paths.specReplicasPath}" does not exist`);
  replicas ??= 1;
  const selector =
    def.crdName !== undefined
      ? paths.labelSelectorPath && valueAt(obj, paths.labelSelectorPath)
      : selectorString(obj);
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    spec: { replicas },
    status: {
      replicas: valueAt(obj, paths.statusReplicasPath) ?? 0,
      ...(typeof selector === 'string' ? { selector } : {}),
    },
  };
}

/** The Scale a PUT (update) or PATCH asks for, from the request body and the current Scale. */
function requestedScale(current: KubeObject, verb: string, mediaType: string, body: unknown): unknown {
  if (verb === 'update') return body;
  if (mediaType === MERGE_PATCH) return mergePatch(current, body);
  if (mediaType === JSON_PATCH) return jsonPatch(current, body);
  throw unsupportedMediaType([JSON_PATCH, MERGE_PATCH]);
}

/**
 * Writes a Scale back as its object: sets the spec replicas field and updates the object through the main
 * resource, so the CRD's schema judges the new value (etcd.go scaleUpdatedObjectInfo + the CR strategy).
 */
async function writeScale(
  deps: HandlerDeps,
  def: ResourceDef,
  paths: ScalePaths,
  current: KubeObject,
  scale: unknown,
): Promise<KubeObject> {
  const replicas = isRecord(scale) && isRecord(scale.spec) ? scale.spec.replicas : undefined;
  if (typeof replicas !== 'number')
    throw badRequest(`the spec replicas field "${paths.specReplicasPath}" cannot be empty`);
  const next = deepCopy(current);
  setAt(next, paths.specReplicasPath, replicas);
  const meta = isRecord(scale) && isRecord(scale.metadata) ? scale.metadata : {};
  if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '')
    next.metadata.resourceVersion = meta.resourceVersion;
  const ns = current.metadata.namespace ?? '';
  const updated = await deps.lifecycle.update(def, ns, current.metadata.name!, next);
  return scaleOf(def, paths, updated);
}

/** GET, PUT or PATCH on `.../NAME/scale`; the caller has checked that `r.def` serves scale. */
export async function handleScale(deps: HandlerDeps, r: ResourceRequest, paths: ScalePaths): Promise<void> {
  const current = deps.lifecycle.get(r.def, r.info.namespace, r.info.name);
  if (r.info.verb === 'get') {
    sendJson(r.res, 200, scaleOf(r.def, paths, current));
    return;
  }
  const mediaType = r.contentType.split(';')[0]!.trim();
  const wanted = requestedScale(scaleOf(r.def, paths, current), r.info.verb, mediaType, parseJson(r.body));
  sendJson(r.res, 200, await writeScale(deps, r.def, paths, current, wanted));
}

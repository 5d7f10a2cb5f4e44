/**
 * Create, update and delete with kube-apiserver's generic registry semantics
 * (k8s.io/apiserver/pkg/registry/generic/registry/store.go): optimistic concurrency on resourceVersion,
 * status subresource split, generation, finalizers and deletionTimestamp, no-op updates that write nothing.
 */
import type { AdmissionAttributes, AdmissionHook } from './admission.js';
import type { UserInfo } from './authentication.js';
import { validateBuiltin } from './builtin-validation.js';
import { generationContent, prepareBuiltinForCreate } from './builtin-strategies.js';
import { establishedStatus, isCrd } from './custom-resources.js';
import { fillCreateMeta, keepSystemMeta, validateFinalizersUpdate, validateName } from './object-meta.js';
import { checkPreconditions, planDeletion, type DeleteOptions, type DeleteResult } from './deletion.js';
import { validateLabels, validateOwnerReferences } from './metadata-validation.js';
import { checkMicroTimes } from './micro-time.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  internalError,
  invalid,
  notFound,
  OPTIMISTIC_LOCK_MSG,
} from './status-errors.js';
import { ResourceView } from './resource-view.js';
import { admitPodServiceAccount, createDefaultServiceAccount } from './service-accounts.js';
import type { Store } from './store.js';
import { deepCopy, isRecord, jsonEqual, type FieldCause, type KubeObject } from './types.js';

export type { DeleteOptions, DeleteResult };

export interface WriteOptions {
  /** The fieldValidation query parameter: Strict refuses unknown fields, Ignore and Warn drop them. */
  fieldValidation?: string | null;
  /** Who asks (requests through the router); admission plugins see only writes that carry one. */
  user?: UserInfo;
}

/** fieldValidation=Strict: pruned (unknown) fields are a decoding error (400), as kube-apiserver reports them. */
function checkUnknownFields(def: ResourceDef, opts: WriteOptions, dropped: string[] | undefined): void {
  if (opts.fieldValidation !== 'Strict' || !dropped || dropped.length === 0) return;
  const fields = dropped.map((f) => `unknown field "${f}"`).join(', ');
  throw badRequest(
    `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${fields}`,
  );
}

export interface LifecycleOptions {
  /** Pods on a node wait out their grace period for a kubelet (see deletion.ts); default: deleted at once. */
  gracefulPodDeletion?: boolean;
  /** The enabled admission plugins (admission.ts); none by default. */
  admit?: AdmissionHook;
}

/** Removes owner references to `owner` from its dependents (propagationPolicy Orphan). */
export type Orphaner = (owner: KubeObject) => void;

const NAMESPACES = { group: '', resource: 'namespaces' };

export class Lifecycle {
  constructor(
    private readonly store: Store,
    private readonly orphan: Orphaner,
    private readonly options: LifecycleOptions = {},
  ) {}

  private view(def: ResourceDef): ResourceView {
    return new ResourceView(this.store, def);
  }

  get(def: ResourceDef, namespace: string, name: string): KubeObject {
    const obj = this.view(def).get(namespace, name);
    if (!obj) throw notFound(gr(def), name);
    return obj;
  }

  async create(
    def: ResourceDef,
    namespace: string,
    body: unknown,
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const obj = this.normalize(def, namespace, body);
    if (obj.metadata.resourceVersion)
      // etcd3 store: storage.ErrResourceVersionSetOnCreate, surfaced as an internal error.
      throw internalError('resourceVersion should not be set on objects to be created');
    if (def.namespaced) this.checkNamespaceOpen(def, namespace, obj);
    if (isPods(def)) admitPodServiceAccount(this.store, namespace, obj);
    this.admit(opts, {
      operation: 'CREATE',
      def,
      subresource: '',
      name: obj.metadata.name ?? '',
      object: obj,
    });
    fillCreateMeta(def, obj);
    if (def.status && def.crdName !== undefined) delete obj.status;
    prepareBuiltinForCreate(def, obj);
    if (isCrd(obj)) obj.status = establishedStatus(obj);
    checkUnknownFields(def, opts, def.defaults?.(obj));
    await this.validate(def, obj, undefined);
    if (this.view(def).get(obj.metadata.namespace ?? '', obj.metadata.name!))
      throw alreadyExists(gr(def), obj.metadata.name!);
    obj.apiVersion = apiVersionOf(def);
    const created = this.view(def).put(obj, 'ADDED');
    if (isNamespace(def)) createDefaultServiceAccount(this.store, created.metadata.name!);
    return created;
  }

  /** PUT to the resource (`subresource` undefined) or to its `status` subresource. */
  async update(
    def: ResourceDef,
    namespace: string,
    name: string,
    body: unknown,
    subresource?: 'status',
    opts: WriteOptions = {},
  ): Promise<KubeObject> {
    const old = this.get(def, namespace, name);
    const sent = this.normalize(def, namespace, body);
    if (sent.metadata.name !== name)
      throw badRequest(
        `the name of the object (${sent.metadata.name ?? ''}) does not match the name on the URL (${name})`,
      );
    // Mutating admission runs on the sent object, before the resourceVersion check (store.go GuaranteedUpdate).
    this.admit(opts, { operation: 'UPDATE', def, subresource: subresource ?? '', name, object: sent, old });
    this.checkResourceVersion(def, sent, old);
    const next = splitStatus(def, sent, old, subresource);
    keepSystemMeta(next, old);
    if (isCrd(next) && subresource === undefined) next.status = establishedStatus(next);
    checkUnknownFields(def, opts, def.defaults?.(next));
    if (def.generation && !jsonEqual(generationContent(def, next), generationContent(def, old)))
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    await this.validate(def, next, old);
    next.apiVersion = apiVersionOf(def); // stored in the storage version (conversion None)
    return this.write(def, next, old);
  }

  delete(def: ResourceDef, namespace: string, name: string, options: DeleteOptions = {}): DeleteResult {
    const obj = this.get(def, namespace, name);
    checkPreconditions(def, obj, options);
    if (options.propagationPolicy === 'Orphan') this.orphan(obj);
    const plan = planDeletion(def, obj, options, this.options.gracefulPodDeletion === true);
    if (plan.remove) {
      return { object: this.view(def).remove(obj.metadata.namespace ?? '', name)!, deleted: true };
    }
    if (!plan.changed) return { object: obj, deleted: false };
    return { object: this.view(def).put(plan.object, 'MODIFIED'), deleted: false };
  }

  private admit(opts: WriteOptions, attributes: Omit<AdmissionAttributes, 'user' | 'namespace'>): void {
    if (!opts.user || !this.options.admit) return;
    const namespace = attributes.object.metadata.namespace ?? '';
    this.options.admit({ ...attributes, user: opts.user, namespace });
  }

  /** Body checks shared by create and update: an object, of this kind and API version, in this namespace. */
  private normalize(def: ResourceDef, namespace: string, body: unknown): KubeObject {
    if (!isRecord(body)) throw badRequest('the body of the request is not a JSON object');
    const obj = deepCopy(body) as KubeObject;
    if (!isRecord(obj.metadata)) obj.metadata = {};
    const versions = [def.version, ...def.otherVersions].map((v) => apiVersionOf(def, v));
    if (obj.apiVersion !== undefined && !versions.includes(obj.apiVersion))
      throw badRequest(
        `the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersionOf(def)})`,
      );
    if (obj.kind !== undefined && obj.kind !== def.kind)
      throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${def.kind})`);
    obj.apiVersion ??= apiVersionOf(def);
    obj.kind = def.kind;
    checkMicroTimes(def, obj);
    if (def.namespaced) {
      if (obj.metadata.namespace !== undefined && obj.metadata.namespace !== namespace)
        throw badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      obj.metadata.namespace = namespace;
    } else {
      delete obj.metadata.namespace;
    }
    return obj;
  }

  /** NamespaceLifecycle admission: the namespace must exist and not be terminating. */
  private checkNamespaceOpen(def: ResourceDef, namespace: string, obj: KubeObject): void {
    const ns = this.store.get('/namespaces', '', namespace);
    if (!ns) throw notFound(NAMESPACES, namespace);
    if (ns.metadata.deletionTimestamp) {
      const name = obj.metadata.name ?? obj.metadata.generateName ?? '';
      throw forbidden(
        gr(def),
        name,
        `unable to create new content in namespace ${namespace} because it is being terminated`,
      );
    }
  }

  private checkResourceVersion(def: ResourceDef, sent: KubeObject, old: KubeObject): void {
    const rv = sent.metadata.resourceVersion;
    if (rv === undefined || rv === '') {
      // Custom resources do not allow unconditional updates (customresource strategy AllowUnconditionalUpdate).
      if (def.crdName !== undefined)
        throw invalid(def.kind, def.group, old.metadata.name!, [
          {
            reason: 'FieldValueInvalid',
            field: 'metadata.resourceVersion',
            message: 'Invalid value: 0x0: must be specified for an update',
          },
        ]);
      return;
    }
    if (rv !== old.metadata.resourceVersion) throw conflict(gr(def), old.metadata.name!, OPTIMISTIC_LOCK_MSG);
  }

  private async validate(def: ResourceDef, obj: KubeObject, old: KubeObject | undefined): Promise<void> {
    const causes: FieldCause[] = [
      ...validateName(def, obj),
      ...validateLabels(obj),
      ...validateOwnerReferences(obj),
    ];
    if (old) causes.push(...validateFinalizersUpdate(obj, old));
    causes.push(...(def.validate ? await def.validate(obj, old) : await validateBuiltin(def.group, obj)));
    if (causes.length > 0) throw invalid(def.kind, def.group, obj.metadata.name ?? '', causes);
  }

  /** Stores an update; an update that empties the finalizers of a deleting object deletes it instead. */
  private write(def: ResourceDef, next: KubeObject, old: KubeObject): KubeObject {
    const ns = old.metadata.namespace ?? '';
    // Compare-and-swap, as etcd's transaction: a controller (the GC) may have written during validation.
    const current = this.view(def).get(ns, old.metadata.name!);
    if (!current) throw notFound(gr(def), old.metadata.name!);
    if (current.metadata.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(gr(def), old.metadata.name!, OPTIMISTIC_LOCK_MSG);
    if (
      next.metadata.deletionTimestamp &&
      (next.metadata.finalizers ?? []).length === 0 &&
      !isNamespace(def)
    ) {
      // store.go Update: errEmptiedFinalizers → deleteWithoutFinalizers; watchers see only DELETED.
      this.view(def).remove(ns, old.metadata.name!);
      return next;
    }
    // A write that changes nothing is not written (GuaranteedUpdate skips identical bytes): no new RV, no event.
    if (jsonEqual(strip(next), strip(old))) return old;
    return this.view(def).put(next, 'MODIFIED');
  }
}

export function gr(def: ResourceDef): { group: string; resource: string } {
  return { group: def.group, resource: def.plural };
}

function isPods(def: ResourceDef): boolean {
  return def.group === '' && def.plural === 'pods';
}

function isNamespace(def: ResourceDef): boolean {
  return def.group === '' && def.plural === 'namespaces';
}

function strip(obj: KubeObject): KubeObject {
  const copy = deepCopy(obj);
  delete copy.metadata.resourceVersion;
  delete copy.metadata.managedFields;
  return copy;
}

/** The status subresource split (CRD docs, "Status subresource"). */
function splitStatus(
  def: ResourceDef,
  sent: KubeObject,
  old: KubeObject,
  sub: 'status' | undefined,
): KubeObject {
  if (sub === 'status') {
    // PUT /status ignores changes to anything except the status stanza.
    const next = deepCopy(old);
    if (sent.status === undefined) delete next.status;
    else next.status = sent.status;
    return next;
  }
  if (!def.status) return sent;
  // With a status subresource, the main resource ignores changes to status.
  const next = deepCopy(sent);
  if (old.status === undefined) delete next.status;
  else next.status = deepCopy(old.status);
  return next;
}

/**
 * The OwnerReferencesPermissionEnforcement admission plugin, with the rules of kubernetes
 * plugin/pkg/admission/gc/gc_admission.go (`Admit`, `isChangingOwnerReference`,
 * `newBlockingOwnerDeletionRefs`, `ownerRefToDeleteAttributeRecords`):
 *
 * - on create and update (pods/status exempt), a request that changes the object's ownerReferences needs
 *   `delete` on the object itself ("cannot set an ownerRef on a resource you can't delete");
 * - each reference that is new with `blockOwnerDeletion: true`, or turns it from unset/false to true, needs
 *   `update` on the owner's `<resource>/finalizers`, by the owner's name, in the object's namespace (at the
 *   cluster scope for a cluster-scoped owner)
 *   ("cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on").
 *
 * Refusals are 403 Forbidden through admission.NewForbidden (k8s.io/apiserver/pkg/admission/errors.go): the
 * object's name, or its generateName before a name exists. The messages end with the authorizer's reason
 * and error, which RBAC leaves empty: `: , <nil>` (as users report, e.g. operator-framework/operator-sdk#4020).
 */
import type { AdmissionAttributes } from './admission.js';
import type { UserInfo } from './authentication.js';
import type { RequestInfo } from './request-info.js';
import type { ResourceDef } from './resources.js';
import { forbidden } from './status-errors.js';
import { jsonEqual, type OwnerReference } from './types.js';

type Authorize = (user: UserInfo, info: RequestInfo) => boolean;
type ResourceOf = (apiVersion: string, kind: string) => ResourceDef | undefined;

/** The authorizer's (reason, error) as the plugin prints them: RBAC gives no reason and no error. */
const NO_REASON = ', <nil>';

export class OwnerReferencesPermissionEnforcement {
  constructor(
    private readonly authorize: Authorize,
    private readonly resourceOf: ResourceOf,
  ) {}

  admit(a: AdmissionAttributes): void {
    if (a.def.group === '' && a.def.plural === 'pods' && a.subresource === 'status') return;
    const refs = a.object.metadata.ownerReferences ?? [];
    if (!isChangingOwnerReferences(refs, a.old?.metadata.ownerReferences)) return;
    const self = check(a, 'delete', a.def.group, a.def.plural, a.subresource, a.name);
    if (!this.authorize(a.user, self))
      throw refused(a, `cannot set an ownerRef on a resource you can't delete: ${NO_REASON}`);
    for (const ref of newlyBlocking(refs, a.old?.metadata.ownerReferences ?? [])) {
      const owner = this.resourceOf(ref.apiVersion, ref.kind);
      if (!owner)
        throw refused(
          a,
          `cannot set blockOwnerDeletion in this case because cannot find RESTMapping for APIVersion ${ref.apiVersion} Kind ${ref.kind}: , ${noMatch(ref)}`,
        );
      // A cluster-scoped owner's finalizers are checked at the cluster scope, a namespaced owner's in the
      // object's namespace (gc_admission.go ownerRefToDeleteAttributeRecords: `ar.Namespace` is set only
      // when the owner's RESTMapping scope is namespaced).
      const where = owner.namespaced ? a.namespace : '';
      const finalizers = check(a, 'update', owner.group, owner.plural, 'finalizers', ref.name, where);
      if (!this.authorize(a.user, finalizers))
        throw refused(
          a,
          `cannot set blockOwnerDeletion if an ownerReference refers to a resource you can't set finalizers on: ${NO_REASON}`,
        );
    }
  }
}

/** On create: any reference; on update: a reference added, removed or changed (compared by position). */
function isChangingOwnerReferences(refs: OwnerReference[], old: OwnerReference[] | undefined): boolean {
  if (old === undefined) return refs.length > 0;
  return refs.length !== old.length || refs.some((ref, i) => !jsonEqual(ref, old[i]));
}

/** References blocking now that did not block before (matched by uid), or are new. */
function newlyBlocking(refs: OwnerReference[], old: OwnerReference[]): OwnerReference[] {
  const before = new Map(old.map((ref) => [ref.uid, ref]));
  return refs.filter(
    (ref) => ref.blockOwnerDeletion === true && before.get(ref.uid)?.blockOwnerDeletion !== true,
  );
}

/** The authorization attributes the plugin asks about (a resource request that never reached the router). */
function check(
  a: AdmissionAttributes,
  verb: string,
  group: string,
  resource: string,
  subresource: string,
  name: string,
  namespace = a.namespace,
): RequestInfo {
  return {
    isResourceRequest: true,
    path: '',
    verb,
    apiGroup: group,
    apiVersion: '',
    namespace,
    resource,
    subresource,
    name,
    authorizedName: name,
  };
}

function refused(a: AdmissionAttributes, why: string) {
  const name = a.name || a.object.metadata.name || a.object.metadata.generateName || 'Unknown';
  return forbidden({ group: a.def.group, resource: a.def.plural }, name, why);
}

/** meta.NoKindMatchError's message for one searched version. */
function noMatch(ref: OwnerReference): string {
  return `no matches for kind "${ref.kind}" in version "${ref.apiVersion}"`;
}

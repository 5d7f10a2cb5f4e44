/**
 * Admission: the plugins a test switches on, as `--enable-admission-plugins` does for kube-apiserver. The
 * default set is empty: the fake's always-on checks (NamespaceLifecycle, validation) live in lifecycle.ts,
 * and the plugins here are the ones real clusters differ on — kind v0.29 passes no admission flags
 * (kind pkg/cluster/internal/kubeadm/config.go), OpenShift and hardened clusters add some.
 *
 * A plugin sees a create or update (also a patch or an apply, which become one) of a user's request, after
 * the namespace check and before defaulting and validation, as mutating admission runs in
 * k8s.io/apiserver's create and update handlers; writes the fake makes itself (fixtures, the garbage
 * collector) carry no user and are not admitted.
 */
import type { UserInfo } from './authentication.js';
import { OwnerReferencesPermissionEnforcement } from './owner-references-admission.js';
import type { RequestInfo } from './request-info.js';
import type { ResourceDef } from './resources.js';
import type { KubeObject } from './types.js';

export interface AdmissionAttributes {
  operation: 'CREATE' | 'UPDATE';
  user: UserInfo;
  def: ResourceDef;
  /** '' for the resource itself, e.g. 'status'. */
  subresource: string;
  namespace: string;
  /** The name on the request: '' for a create with only `generateName`. */
  name: string;
  object: KubeObject;
  /** The stored object, on update. */
  old?: KubeObject;
}

/** Throws an ApiStatusError to refuse the request. */
export type AdmissionHook = (attributes: AdmissionAttributes) => void;

export type AdmissionPluginName = 'OwnerReferencesPermissionEnforcement';

export interface AdmissionDeps {
  /** Asks the authorizer (and records the check as the identity's use, so RBAC reports include it). */
  authorize: (user: UserInfo, info: RequestInfo) => boolean;
  /** The served resource of a kind, as the REST mapper finds it; undefined when none. */
  resourceOf: (apiVersion: string, kind: string) => ResourceDef | undefined;
}

interface AdmissionPlugin {
  admit: AdmissionHook;
}

const PLUGINS: Record<AdmissionPluginName, (deps: AdmissionDeps) => AdmissionPlugin> = {
  OwnerReferencesPermissionEnforcement: (deps) =>
    new OwnerReferencesPermissionEnforcement(deps.authorize, deps.resourceOf),
};

/** The hook running `names` in order, or undefined when none is enabled. */
export function admissionChain(
  names: readonly AdmissionPluginName[],
  deps: AdmissionDeps,
): AdmissionHook | undefined {
  const plugins = names.map((name) => PLUGINS[name](deps));
  if (plugins.length === 0) return undefined;
  return (attributes) => {
    for (const plugin of plugins) plugin.admit(attributes);
  };
}

/**
 * RBAC authorization over the Roles, ClusterRoles, RoleBindings and ClusterRoleBindings in the store, with the
 * rule matching of plugin/pkg/auth/authorizer/rbac/rbac.go (verbs, apiGroups, resources incl. `res/sub` and
 * `*` / `* /sub`, resourceNames, nonResourceURLs). `system:masters` is a privileged group, and every
 * authenticated user may read the discovery paths (the default `system:discovery` binding).
 */
import type { UserInfo } from './authentication.js';
import type { RequestInfo } from './request-info.js';
import { forbidden } from './status-errors.js';
import type { Store } from './store.js';
import type { KubeObject } from './types.js';
import { ApiStatusError } from './status-errors.js';

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface Binding {
  roleRef: { kind: string; name: string };
  subjects?: Subject[];
}

const RBAC = 'rbac.authorization.k8s.io';
const DISCOVERY_PATHS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/version',
  '/version/',
  '/healthz',
  '/livez',
  '/readyz',
  '/openapi',
  '/openapi/*',
];

function has(list: string[] | undefined, value: string): boolean {
  return (list ?? []).some((item) => item === '*' || item === value);
}

function resourceMatches(rule: PolicyRule, info: RequestInfo): boolean {
  const combined = info.subresource === '' ? info.resource : `${info.resource}/${info.subresource}`;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (info.subresource !== '' && r === `*/${info.subresource}`),
  );
}

function pathMatches(patterns: string[] | undefined, path: string): boolean {
  return (patterns ?? []).some(
    (p) => p === '*' || p === path || (p.endsWith('*') && path.startsWith(p.slice(0, -1))),
  );
}

export function ruleAllows(rule: PolicyRule, info: RequestInfo): boolean {
  if (!has(rule.verbs, info.verb)) return false;
  if (!info.isResourceRequest) return pathMatches(rule.nonResourceURLs, info.path);
  if (!has(rule.apiGroups, info.apiGroup) || !resourceMatches(rule, info)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(info.authorizedName);
}

function subjectMatches(subject: Subject, user: UserInfo, bindingNamespace: string): boolean {
  if (subject.kind === 'User') return subject.name === user.username;
  if (subject.kind === 'Group') return user.groups.includes(subject.name);
  if (subject.kind === 'ServiceAccount') {
    const ns = subject.namespace ?? bindingNamespace;
    return user.username === `system:serviceaccount:${ns}:${subject.name}`;
  }
  return false;
}

/** Why a request was refused, worded as kube-apiserver's forbiddenMessage (responsewriters/errors.go). */
export function forbiddenError(user: UserInfo, info: RequestInfo): ApiStatusError {
  if (!info.isResourceRequest)
    return new ApiStatusError(
      403,
      'Forbidden',
      `forbidden: User "${user.username}" cannot ${info.verb} path "${info.path}"`,
      {},
    );
  const resource = info.subresource === '' ? info.resource : `${info.resource}/${info.subresource}`;
  const scope = info.namespace === '' ? 'at the cluster scope' : `in the namespace "${info.namespace}"`;
  const why = `User "${user.username}" cannot ${info.verb} resource "${resource}" in API group "${info.apiGroup}" ${scope}`;
  return forbidden({ group: info.apiGroup, resource: info.resource }, info.name, why);
}

export class RbacAuthorizer {
  constructor(private readonly store: Store) {}

  allows(user: UserInfo, info: RequestInfo): boolean {
    if (user.groups.includes('system:masters')) return true;
    if (!info.isResourceRequest && info.verb === 'get' && pathMatches(DISCOVERY_PATHS, info.path))
      return true;
    return this.rulesFor(user, info.namespace).some((rule) => ruleAllows(rule, info));
  }

  /** Every rule bound to `user`, with where it applies ('' = everywhere, from a ClusterRoleBinding). */
  grantsOf(user: UserInfo): { namespace: string; rule: PolicyRule }[] {
    const grants = this.rulesFor(user, '').map((rule) => ({ namespace: '', rule }));
    for (const rb of this.store.list(`${RBAC}/rolebindings`) as unknown as (Binding & KubeObject)[]) {
      const ns = rb.metadata.namespace ?? '';
      if ((rb.subjects ?? []).some((s) => subjectMatches(s, user, ns)))
        grants.push(...this.roleRules(rb.roleRef, ns).map((rule) => ({ namespace: ns, rule })));
    }
    return grants;
  }

  /** Rules that apply to `user` in `namespace`: cluster-wide bindings, plus that namespace's RoleBindings. */
  private rulesFor(user: UserInfo, namespace: string): PolicyRule[] {
    const rules: PolicyRule[] = [];
    for (const crb of this.store.list(`${RBAC}/clusterrolebindings`) as unknown as Binding[]) {
      if ((crb.subjects ?? []).some((s) => subjectMatches(s, user, '')))
        rules.push(...this.roleRules(crb.roleRef, ''));
    }
    if (namespace === '') return rules;
    for (const rb of this.store.list(`${RBAC}/rolebindings`, namespace) as unknown as Binding[]) {
      if ((rb.subjects ?? []).some((s) => subjectMatches(s, user, namespace)))
        rules.push(...this.roleRules(rb.roleRef, namespace));
    }
    return rules;
  }

  private roleRules(ref: Binding['roleRef'], namespace: string): PolicyRule[] {
    const role =
      ref.kind === 'ClusterRole'
        ? this.store.get(`${RBAC}/clusterroles`, '', ref.name)
        : this.store.get(`${RBAC}/roles`, namespace, ref.name);
    return (role as { rules?: PolicyRule[] } | undefined)?.rules ?? [];
  }
}

/** One authorization decision, kept so a test can compare shipped RBAC with what the code used. */
export interface UsageRecord {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  allowed: boolean;
}

export class UsageRecorder {
  private readonly byUser = new Map<string, Map<string, UsageRecord>>();

  record(user: UserInfo, info: RequestInfo, allowed: boolean): void {
    if (!info.isResourceRequest) return;
    const entry: UsageRecord = {
      verb: info.verb,
      group: info.apiGroup,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      allowed,
    };
    let records = this.byUser.get(user.username);
    if (!records) {
      records = new Map();
      this.byUser.set(user.username, records);
    }
    records.set(JSON.stringify(entry), entry);
  }

  /** Distinct (verb, group, resource, subresource, namespace, allowed) tuples of one identity. */
  usage(username: string): UsageRecord[] {
    return [...(this.byUser.get(username)?.values() ?? [])];
  }
}

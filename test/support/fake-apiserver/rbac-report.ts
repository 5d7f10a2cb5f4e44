/**
 * Compares what an identity's RBAC grants with what it used: requests it was denied, and granted
 * (verb, group, resource) combinations it never exercised. This is how a test proves that the shipped RBAC
 * is the least the code needs (DESIGN.md, "Security model").
 */
import type { PolicyRule } from './rbac.js';
import type { UsageRecord } from './rbac.js';

export interface Grant {
  /** Where the grant applies: a namespace, or '' for every namespace and the cluster scope (ClusterRoleBinding). */
  namespace: string;
  verb: string;
  group: string;
  /** `resource` or `resource/subresource`, or `*`. */
  resource: string;
}

export interface RbacReport {
  /** Requests the identity made and was refused. */
  denied: UsageRecord[];
  /** Grants no allowed request of the identity used. */
  unused: Grant[];
}

function expand(namespace: string, rule: PolicyRule): Grant[] {
  const grants: Grant[] = [];
  for (const verb of rule.verbs ?? [])
    for (const group of rule.apiGroups ?? [])
      for (const resource of rule.resources ?? []) grants.push({ namespace, verb, group, resource });
  return grants;
}

function covers(grant: Grant, use: UsageRecord): boolean {
  const resource = use.subresource === '' ? use.resource : `${use.resource}/${use.subresource}`;
  const resourceOk =
    grant.resource === '*' ||
    grant.resource === resource ||
    (use.subresource !== '' && grant.resource === `*/${use.subresource}`);
  return (
    (grant.verb === '*' || grant.verb === use.verb) &&
    (grant.group === '*' || grant.group === use.group) &&
    resourceOk &&
    (grant.namespace === '' || grant.namespace === use.namespace)
  );
}

export function rbacReport(
  grants: { namespace: string; rule: PolicyRule }[],
  usage: UsageRecord[],
): RbacReport {
  const allowed = usage.filter((u) => u.allowed);
  const expanded = grants.flatMap((g) => expand(g.namespace, g.rule));
  return {
    denied: usage.filter((u) => !u.allowed),
    unused: expanded.filter((grant) => !allowed.some((use) => covers(grant, use))),
  };
}

// Why a policy kind's cache cannot list: the API server refused (403) the permission it needs. Said with the
// kind and the grant, so that the operator's readiness and `flowprobe run` do not call it "unreachable".
import type { PolicyKind } from './policy-kinds.js';

/** Calico's API server also checks tier.<plural> (docs.tigera.io, "Configure RBAC for tiered policies"). */
const CALICO_TIERED = new Set([
  'networkpolicies',
  'globalnetworkpolicies',
  'stagednetworkpolicies',
  'stagedglobalnetworkpolicies',
]);

export function refusalMessage(kind: PolicyKind): string {
  const base =
    `the API server refuses to list ${kind.kind} (${kind.group}/${kind.version} ${kind.plural}): ` +
    `grant list, watch on ${kind.group} ${kind.plural}`;
  if (kind.group !== 'projectcalico.org' || !CALICO_TIERED.has(kind.plural)) return base;
  return (
    `${base}, and for Calico's API server get on projectcalico.org tiers ` +
    `and list, watch on projectcalico.org tier.${kind.plural}`
  );
}

/** A 403 from a list (KubeApiError) or from a watch (client-node's Watch error carries `statusCode`). */
export function isForbidden(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  return code === 403 || statusCode === 403;
}

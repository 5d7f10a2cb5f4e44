// The diagnosis of a flow an Admin or Baseline policy decides (ClusterNetworkPolicy, AdminNetworkPolicy,
// BaselineAdminNetworkPolicy). Many CNIs enforce NetworkPolicy but not these kinds (flannel and kindnet
// implement neither; Cilium only behind a flag; Calico from 3.32), so a contradiction points at the
// cluster policy's kind, never at NetworkPolicy enforcement: a cluster Deny observed open says the CNI may
// not implement the kind; a cluster Accept observed closed may be a NetworkPolicy the CNI applied because
// it ignored the Admin tier.
import type { Expectation } from '../api/types.js';
import type { ClusterDecider } from './diagnosis.js';
import { LAG_REMEDY, shortOfLagBound, type ProbeTiming } from './enforcement-lag.js';

export interface ClusterCase {
  expected: Expectation;
  /** What the observation says about access (observation.ts). */
  access: Expectation;
  /** True for Connected: an open flow, not a refused one (the Refused sentences stand as they are). */
  connected: boolean;
  /** The observation in words, e.g. `connected` or `timed out (packets dropped)`. */
  seen: string;
  /** `expected X, observed Y`. */
  drift: string;
  timing?: ProbeTiming;
}

/** The sentence for a flow a cluster policy decides; undefined where the usual sentence is true as well. */
export function diagnoseCluster(c: ClusterCase, d: ClusterDecider): string | undefined {
  return d.action === 'Deny' ? clusterDeny(c, d) : clusterAccept(c, d);
}

function clusterDeny(c: ClusterCase, d: ClusterDecider): string | undefined {
  const denies = `the ${d.policy} denies it`;
  if (c.connected) {
    const why = notImplementing(d, c.timing);
    return c.expected === 'Denied'
      ? `${c.drift}: ${denies}: ${why}`
      : `${c.seen} as expected, but ${denies}: ${why}`;
  }
  if (c.expected === 'Allowed' && c.access === 'Denied') return `${c.drift}: ${denies}`;
  return undefined;
}

function clusterAccept(c: ClusterCase, d: ClusterDecider): string | undefined {
  const admits = `the ${d.policy} admits it before any NetworkPolicy`;
  if (c.connected && c.expected === 'Denied') return `${c.drift}: ${admits}`;
  if (c.access !== 'Denied') return undefined;
  const why = `the CNI may not implement ${d.kind} (then a NetworkPolicy may deny it), or something else denies it`;
  return c.expected === 'Denied'
    ? `${c.seen} as expected, but ${admits}: ${why}`
    : `${c.drift}, ${admits}: ${why}`;
}

/** As notEnforcing in diagnosis.ts: too early to tell a late enforcer from none. */
function notImplementing(d: ClusterDecider, timing: ProbeTiming | undefined): string {
  if (timing && shortOfLagBound(timing)) {
    return `the policy may not have reached the new probe pod yet (${LAG_REMEDY})`;
  }
  return `the CNI may not implement ${d.kind} (or not enforce it)`;
}

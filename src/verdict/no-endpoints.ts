// A flow to a Service that has no ready endpoints (DESIGN.md, "diagnosis"): neither DNS nor policy is the
// cause, so neither may be blamed. kube-proxy rejects a connection to a Service port without endpoints
// before any policy sees it (kubernetes pkg/proxy/nftables/proxier.go: `no-endpoint-services` →
// `reject-chain`; the iptables mode's REJECT "... has no endpoints"), so the probe sees Refused; a headless
// Service without ready endpoints has no DNS record, so the probe sees NXDOMAIN.
//
// - Allowed: the flow does not work, whatever the policies say: Fail, and the Service is why.
// - Denied: the connection never met a policy: nothing was learned, an Error (as a DNS failure is).
// A connection that got through means the caches were behind the cluster: the usual verdict applies. So does
// an unsettled or failed probe, and a resolver that timed out (that is about DNS egress, not endpoints).
import type { Expectation, Verdict } from '../api/types.js';
import type { Observation } from './observation.js';

export interface NoEndpointsInput {
  expected: Expectation;
  observation: Observation;
  /** The Service's trouble in words, e.g. `service shop/web has no ready endpoints: ...`. */
  noEndpoints: string;
  /** The policies' prediction, named when they would deny the flow as well. */
  predicted: 'Allowed' | 'Denied' | 'Unknown';
}

export interface Judged {
  verdict: Verdict;
  diagnosis: string;
}

/** The verdict and diagnosis of a flow to a Service without endpoints; undefined when they do not apply. */
export function judgeWithoutEndpoints(input: NoEndpointsInput): Judged | undefined {
  const { expected, observation, noEndpoints } = input;
  if (!observation.settled || !explainedByNoEndpoints(expected, observation)) return undefined;
  const seen = `expected ${expected}, observed ${observation.outcome}`;
  if (expected === 'Denied') {
    return {
      verdict: 'Error',
      diagnosis: `nothing was learned: ${noEndpoints}, so the connection was turned away before any policy applied`,
    };
  }
  const policies =
    input.predicted === 'Denied'
      ? '; the NetworkPolicies would deny it as well'
      : ' (not a policy or DNS problem)';
  return { verdict: 'Fail', diagnosis: `${seen}: ${noEndpoints}, so nothing can serve the flow${policies}` };
}

function explainedByNoEndpoints(expected: Expectation, o: Observation): boolean {
  if (o.outcome === 'Refused') return true;
  if (o.outcome === 'DNSFailure') return o.detail === 'nxdomain';
  // A drop or an ICMP error is a denial in itself; it proves the Denied expectation's point.
  return expected === 'Allowed' && (o.outcome === 'Blocked' || o.outcome === 'Unreachable');
}

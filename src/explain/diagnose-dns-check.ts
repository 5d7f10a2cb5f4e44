// The diagnosis of a DNS-check flow (`dns: {name}`, issue 16): its target is a resolver, so a denied
// DNS check that was expected to work is the classic outage of a default-deny egress that forgot DNS
// (DESIGN.md problem 3), or a resolver whose ingress refuses the source. Named here, before the generic
// diagnoses, because the operator quotes the first item as the policies' reason.
import type { Flow, Prediction } from '../api/types.js';
import type { TargetPrediction } from './combine.js';

export function dnsCheckDiagnosis(
  flow: Flow,
  predicted: Prediction,
  targets: readonly TargetPrediction[],
): string[] {
  if (flow.dns === undefined || flow.expect !== 'Allowed' || predicted !== 'Denied') return [];
  const what = `${flow.protocol ?? 'TCP'} ${flow.port}`;
  const out: string[] = [];
  // An Admin-tier Deny decides before any NetworkPolicy: diagnose-tiers.ts names it, and "allow 53" in a
  // NetworkPolicy would not help.
  const denies = (side: TargetPrediction['prediction']['egress']): boolean =>
    side.decision === 'no' && side.tiers?.decidedBy !== 'Admin';
  if (targets.some((t) => denies(t.prediction.egress))) {
    out.push(
      `missing DNS egress: the source's egress does not allow DNS (${what}) to this resolver, so its names will ` +
        `not resolve — allow UDP and TCP ${flow.port} to ${resolverOf(flow)}`,
    );
  }
  if (targets.some((t) => denies(t.prediction.ingress))) {
    out.push(`resolver ingress: the resolver's ingress does not admit DNS (${what}) from the source`);
  }
  return out;
}

/** The flow's resolver as the advice names it; the cluster DNS by the labels its pods carry everywhere. */
function resolverOf(flow: Flow): string {
  const { to } = flow;
  const where = to.namespace ? `${to.namespace}/` : '';
  if (
    to.namespace === 'kube-system' &&
    (to.service === 'kube-dns' || to.podSelector?.matchLabels?.['k8s-app'] === 'kube-dns')
  )
    return 'the resolver (the cluster DNS: kube-system k8s-app=kube-dns)';
  if (to.ip !== undefined) return to.ip;
  if (to.host !== undefined) return to.host;
  if (to.service !== undefined) return `service ${where}${to.service}`;
  return `the resolver's pods${to.namespace ? ` in ${to.namespace}` : ''}`;
}

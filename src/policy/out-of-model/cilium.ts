// Whether a CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy may select one side of a flow.
// Sources (cilium/cilium):
// - pkg/policy/api/rule.go @ ddfb86f857f0: a rule's endpointSelector selects endpoints, nodeSelector
//   (clusterwide only) selects nodes; ingress/ingressDeny "if omitted or empty, this rule does not apply
//   at ingress", egress/egressDeny likewise; enableDefaultDeny "default is true for each traffic direction
//   that has rules", and "if multiple policies apply ... default deny will be enabled if any policy
//   requests it" (so an explicit true counts even without rules).
// - pkg/k8s/apis/cilium.io/utils/utils.go @ 25972d8e8c67, ParseToCiliumRule: a namespaced policy's
//   endpointSelector always gets `k8s:io.kubernetes.pod.namespace=<its namespace>` (a different
//   namespace in it is removed as illegal); a clusterwide one gets "namespace label exists".
// - pkg/k8s/apis/cilium.io/const.go: endpoints carry io.kubernetes.pod.namespace, the namespace's labels
//   as io.cilium.k8s.namespace.labels.<key>, and io.cilium.k8s.policy.serviceaccount / .cluster.
// - cnp_types.go @ f45630ed01a5: `spec` and `specs` are both lists of such rules.
// Host-network pods are not Cilium endpoints (they have the host's identity), so endpointSelectors never
// select them; a nodeSelector may (flowprobe does not know node labels). Label keys may carry a source
// prefix (`k8s:`, `any:`); other sources (`reserved:`, ...) are identities flowprobe cannot see.
import type { Endpoint, LabelSelector, PodEndpoint, PolicyType } from '../types.js';
import type { NamespaceLabels } from '../peer-match.js';
import { anyOf, NO, selectLabels, UNSEEN, unknown, type LabelLookup } from './selection.js';
import type { CiliumPolicy, CiliumRule, Selection } from './types.js';

const NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

export function ciliumSelects(
  policy: CiliumPolicy,
  subject: Endpoint,
  direction: PolicyType,
  nsLabels: NamespaceLabels,
): Selection {
  return anyOf(
    policy.rules.filter((r) => appliesIn(r, direction)).map((r) => ruleSelects(policy, r, subject, nsLabels)),
  );
}

/** Whether a rule has any say in `direction`: rules of that direction, or an explicit default deny. */
export function appliesIn(rule: CiliumRule, direction: PolicyType): boolean {
  if (direction === 'Ingress')
    return rule.ingress + rule.ingressDeny > 0 || rule.defaultDeny.ingress === true;
  return rule.egress + rule.egressDeny > 0 || rule.defaultDeny.egress === true;
}

function ruleSelects(
  policy: CiliumPolicy,
  rule: CiliumRule,
  subject: Endpoint,
  nsLabels: NamespaceLabels,
): Selection {
  if (subject.kind !== 'pod') return NO; // outside the cluster, as the NetworkPolicy model has it
  if (rule.nodeSelector !== undefined) {
    return subject.hostNetwork === true
      ? unknown('its nodeSelector may select the node this host-network pod runs on')
      : NO;
  }
  const selector = rule.endpointSelector ?? {};
  if (subject.hostNetwork === true) {
    const keys = [
      ...Object.keys(selector.matchLabels ?? {}),
      ...(selector.matchExpressions ?? []).map((e) => e.key),
    ];
    return keys.some((k) => k.startsWith('reserved:'))
      ? unknown('its endpointSelector names a reserved identity, which may be the host')
      : NO;
  }
  if (policy.namespace === undefined) return selectLabels(selector, ciliumLabels(subject, nsLabels));
  if (subject.namespace !== policy.namespace) return NO;
  return selectLabels(ownNamespaceOnly(selector), ciliumLabels(subject, nsLabels));
}

/** Cilium overwrites a namespaced policy's namespace match with its own namespace (utils.go). */
function ownNamespaceOnly(selector: LabelSelector): LabelSelector {
  const matchLabels = Object.fromEntries(
    Object.entries(selector.matchLabels ?? {}).filter(([k]) => k !== `k8s:${NAMESPACE_KEY}`),
  );
  return { ...selector, matchLabels };
}

/** A pod's labels as Cilium's selectors see them (see the header for the sources). */
export function ciliumLabels(pod: PodEndpoint, nsLabels: NamespaceLabels): LabelLookup {
  return (prefixed) => {
    const colon = prefixed.indexOf(':');
    const source = colon < 0 ? 'any' : prefixed.slice(0, colon);
    const key = colon < 0 ? prefixed : prefixed.slice(colon + 1);
    if (source !== 'k8s' && source !== 'any') return UNSEEN;
    if (key === NAMESPACE_KEY) return pod.namespace;
    if (key.startsWith(NAMESPACE_LABELS_PREFIX))
      return nsLabels(pod.namespace)[key.slice(NAMESPACE_LABELS_PREFIX.length)];
    // Service account, cluster name, pod name and other labels Cilium derives: not in the manifests' view.
    if (key.startsWith('io.cilium.') || key.startsWith('io.kubernetes.')) return UNSEEN;
    return pod.labels[key];
  };
}

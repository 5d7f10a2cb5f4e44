// Whether a Calico NetworkPolicy or GlobalNetworkPolicy (projectcalico.org/v3, or its storage form
// crd.projectcalico.org/v1, which has the same spec) may select one side of a flow.
// Sources (projectcalico/calico @ 87c15906f20c):
// - api/pkg/apis/projectcalico/v3/networkpolicy.go and globalnetworkpolicy.go: `selector` picks the
//   endpoints the policy applies to (empty = all()); `types` defaults to [Ingress] without egress rules,
//   [Egress] with egress rules only, both with both (calicoTypes below); `serviceAccountSelector` and
//   (global only) `namespaceSelector` narrow it; applyOnForward (required by preDNAT and doNotTrack)
//   applies it to traffic forwarded through a host endpoint.
// - docs (reference/resources/networkpolicy): a NetworkPolicy "only applies to workload endpoint
//   resources in that namespace"; a GlobalNetworkPolicy applies to any endpoint, host endpoints included.
// - libcalico-go/lib/backend/k8s/conversion/workload_endpoint_default.go: a pod's endpoint carries its
//   labels plus projectcalico.org/namespace, projectcalico.org/orchestrator=k8s and
//   projectcalico.org/serviceaccount; conversion/constants.go: namespaces carry projectcalico.org/name.
// A host-network pod is no workload endpoint; a GlobalNetworkPolicy may still select its node's host
// endpoint, whose labels flowprobe does not know.
import type { NamespaceLabels } from '../peer-match.js';
import type { Endpoint, PodEndpoint, PolicyType } from '../types.js';
import { evaluateCalico, parseCalicoSelector, type ParsedSelector } from './calico-selector.js';
import { allOf, NO, UNSEEN, unknown, YES, type LabelLookup } from './selection.js';
import type { CalicoPolicy, Selection } from './types.js';

/** Calico's defaulting of `types` when the policy gives none (see the header). */
export function calicoTypes(hasIngressRules: boolean, hasEgressRules: boolean): PolicyType[] {
  if (!hasEgressRules) return ['Ingress'];
  return hasIngressRules ? ['Ingress', 'Egress'] : ['Egress'];
}

export function calicoSelects(
  policy: CalicoPolicy,
  subject: Endpoint,
  direction: PolicyType,
  nsLabels: NamespaceLabels,
): Selection {
  if (!policy.types.includes(direction) || subject.kind !== 'pod') return NO;
  const global = policy.namespace === undefined;
  if (policy.applyOnForward && global) {
    return unknown('it applies to traffic forwarded through host endpoints, which flowprobe does not know');
  }
  if (subject.hostNetwork === true) {
    return global ? unknown("it may select the host endpoint of this host-network pod's node") : NO;
  }
  if (!global && subject.namespace !== policy.namespace) return NO;
  return allOf([
    expression(policy, policy.selector, 'selector', endpointLabels(subject)),
    global && nonEmpty(policy.namespaceSelector)
      ? expression(
          policy,
          policy.namespaceSelector ?? '',
          'namespaceSelector',
          namespaceLabels(subject, nsLabels),
        )
      : YES,
    nonEmpty(policy.serviceAccountSelector)
      ? unknown('it selects by service account, which flowprobe does not know')
      : YES,
  ]);
}

function nonEmpty(s: string | undefined): boolean {
  return s !== undefined && s.trim() !== '';
}

/** Parsed once per policy and field: every pod of the cluster is checked against the same selectors. */
const parsedSelectors = new WeakMap<CalicoPolicy, Map<string, ParsedSelector>>();

function expression(policy: CalicoPolicy, text: string, field: string, lookup: LabelLookup): Selection {
  let mine = parsedSelectors.get(policy);
  if (mine === undefined) {
    mine = new Map();
    parsedSelectors.set(policy, mine);
  }
  let parsed = mine.get(field);
  if (parsed === undefined) {
    parsed = parseCalicoSelector(text);
    mine.set(field, parsed);
  }
  if ('unsupported' in parsed) return unknown(`its ${field} uses ${parsed.unsupported}`);
  return evaluateCalico(parsed.node, lookup);
}

function endpointLabels(pod: PodEndpoint): LabelLookup {
  return (key) => {
    if (key === 'projectcalico.org/namespace') return pod.namespace;
    if (key === 'projectcalico.org/orchestrator') return 'k8s';
    if (key === 'projectcalico.org/serviceaccount') return UNSEEN;
    return pod.labels[key];
  };
}

function namespaceLabels(pod: PodEndpoint, nsLabels: NamespaceLabels): LabelLookup {
  const labels = nsLabels(pod.namespace);
  return (key) => (key === 'projectcalico.org/name' ? pod.namespace : labels[key]);
}

// Whether an Antrea ClusterNetworkPolicy or NetworkPolicy (crd.antrea.io v1beta1, and v1alpha1 with the
// same spec) may select one side of a flow. Sources (antrea-io/antrea @ fc70f2bb7037):
// - pkg/apis/crd/v1beta1/types.go: `appliedTo` in the spec, or on every rule instead; an entry selects by
//   podSelector and/or namespaceSelector, or by exactly one of group (a ClusterGroup), serviceAccount,
//   service (a NodePort Service), nodeSelector, externalEntitySelector.
// - docs/antrea-network-policy.md: in a ClusterNetworkPolicy "a podSelector without any
//   namespaceSelector selects Pods from all Namespaces", both in one entry AND; in a NetworkPolicy a
//   namespaceSelector in appliedTo is forbidden and pods come from its own namespace; Antrea-native
//   policies "do not automatically isolate" what they select, so only rules of a direction matter in it;
//   `service` applies to "traffic from external clients to a NodePort Service" (never a pod's probe).
// - pkg/controller/networkpolicy/networkpolicy_controller.go: "HostNetwork Pods will not be applied to by
//   policies"; a nodeSelector (Node NetworkPolicy) may select the node of a host-network pod.
import type { NamespaceLabels } from '../peer-match.js';
import type { Endpoint, PolicyType } from '../types.js';
import { allOf, anyOf, knownLabels, NO, selectLabels, unknown, YES } from './selection.js';
import type { AntreaAppliedTo, AntreaPolicy, Selection } from './types.js';

export function antreaSelects(
  policy: AntreaPolicy,
  subject: Endpoint,
  direction: PolicyType,
  nsLabels: NamespaceLabels,
): Selection {
  const rules = direction === 'Ingress' ? policy.ingress : policy.egress;
  if (rules.length === 0) return NO;
  const entries = rules.some((r) => r.appliedTo !== undefined)
    ? rules.flatMap((r) => r.appliedTo ?? [])
    : policy.appliedTo;
  if (entries === undefined || entries.length === 0)
    return unknown('it names no appliedTo, which Antrea rejects; flowprobe does not guess what it selects');
  return anyOf(entries.map((e) => entrySelects(policy, e, subject, nsLabels)));
}

function entrySelects(
  policy: AntreaPolicy,
  e: AntreaAppliedTo,
  subject: Endpoint,
  nsLabels: NamespaceLabels,
): Selection {
  if (subject.kind !== 'pod') return NO; // outside the cluster, as the NetworkPolicy model has it
  if (e.nodeSelector !== undefined)
    return subject.hostNetwork === true
      ? unknown('its nodeSelector may select the node this host-network pod runs on')
      : NO;
  if (subject.hostNetwork === true || e.service !== undefined || e.externalEntitySelector !== undefined)
    return NO;
  if (e.group !== undefined)
    return unknown(`it applies to the group ${e.group}, whose members flowprobe does not read`);
  if (e.serviceAccount !== undefined) {
    const ns = e.serviceAccount.namespace ?? policy.namespace;
    return ns !== undefined && ns !== subject.namespace
      ? NO
      : unknown(
          `it applies to the pods of service account ${e.serviceAccount.name}, which flowprobe does not know`,
        );
  }
  if (e.podSelector === undefined && e.namespaceSelector === undefined)
    return unknown('one appliedTo entry selects nothing flowprobe recognizes');
  const namespaced = policy.namespace !== undefined;
  if (namespaced && subject.namespace !== policy.namespace) return NO;
  if (namespaced && e.namespaceSelector !== undefined)
    return unknown('its appliedTo sets a namespaceSelector, which Antrea forbids in a NetworkPolicy');
  return allOf([
    e.podSelector === undefined ? YES : selectLabels(e.podSelector, knownLabels(subject.labels)),
    e.namespaceSelector === undefined
      ? YES
      : selectLabels(e.namespaceSelector, knownLabels(nsLabels(subject.namespace))),
  ]);
}

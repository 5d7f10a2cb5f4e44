// What a ClusterConnectivityTest's status adds to a ConnectivityTest's after a run (pure): which
// namespaces matched and were probed, a NamespacesSampled condition, and a Passing condition that does
// not call a run that probed nothing a pass (DESIGN.md, "Never silent").
import type { ClusterConnectivityTestStatus, ConnectivityTestStatus } from '../api/types.js';
import type { NamespaceChoice } from '../plan/namespace-choice.js';
import { setConditions, type ConditionInput } from './conditions.js';
import { ConditionType, Reason } from './reasons.js';

export function withNamespaces(
  status: ConnectivityTestStatus,
  choice: NamespaceChoice,
  description: string,
  generation: number,
  now: string,
): ClusterConnectivityTestStatus {
  const sampled: ConditionInput = {
    type: ConditionType.NamespacesSampled,
    status: choice.sampled ? 'True' : 'False',
    reason: choice.sampled ? Reason.MoreNamespacesThanMax : Reason.AllMatchingNamespacesProbed,
    message: description,
    observedGeneration: generation,
  };
  const nothing: ConditionInput[] =
    choice.matched === 0
      ? [
          {
            type: ConditionType.Passing,
            status: 'Unknown',
            reason: Reason.NoMatchingNamespaces,
            message: 'the namespaceSelector matches no namespace: nothing was probed',
            observedGeneration: generation,
          },
        ]
      : [];
  return {
    ...(status as ClusterConnectivityTestStatus),
    namespaces: { matched: choice.matched, probed: [...choice.probed] },
    conditions: setConditions(status.conditions ?? [], [sampled, ...nothing], now),
  };
}

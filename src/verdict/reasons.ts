// Condition types and reasons, in one place (Kubernetes API conventions: CamelCase reasons).

export const ConditionType = {
  /** The controller has a current answer for the current spec. */
  Ready: 'Ready',
  /** Every flow behaves as declared. */
  Passing: 'Passing',
  /** spec.suspend: no run starts; the last results stay. */
  Suspended: 'Suspended',
  /** A ClusterConnectivityTest probed fewer namespaces than its selector matched (maxNamespaces). */
  NamespacesSampled: 'NamespacesSampled',
} as const;

export const Reason = {
  InvalidSpec: 'InvalidSpec',
  Probing: 'Probing',
  RunComplete: 'RunComplete',
  Suspended: 'Suspended',
  AllFlowsAsExpected: 'AllFlowsAsExpected',
  Drift: 'Drift',
  Flaky: 'Flaky',
  ProbeErrors: 'ProbeErrors',
  NotYetRun: 'NotYetRun',
  /** A run could not complete (the API server refused or did not answer); it is retried with backoff. */
  RunFailed: 'RunFailed',
  /** spec.suspend was cleared: runs go on. */
  Resumed: 'Resumed',
  /** NamespacesSampled: more namespaces matched than maxNamespaces; True. */
  MoreNamespacesThanMax: 'MoreNamespacesThanMax',
  /** NamespacesSampled: every matching namespace was probed; False. */
  AllMatchingNamespacesProbed: 'AllMatchingNamespacesProbed',
  /** Passing Unknown: a ClusterConnectivityTest's selector matched no namespace, so nothing was probed. */
  NoMatchingNamespaces: 'NoMatchingNamespaces',
} as const;

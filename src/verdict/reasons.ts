// Condition types and reasons, in one place (Kubernetes API conventions: CamelCase reasons).

export const ConditionType = {
  /** The controller has a current answer for the current spec. */
  Ready: 'Ready',
  /** Every flow behaves as declared. */
  Passing: 'Passing',
  /** spec.suspend: no run starts; the last results stay. */
  Suspended: 'Suspended',
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
} as const;

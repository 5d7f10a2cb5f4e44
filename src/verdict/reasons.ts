// Condition types and reasons, in one place (Kubernetes API conventions: CamelCase reasons).

export const ConditionType = {
  /** The controller has a current answer for the current spec. */
  Ready: 'Ready',
  /** Every flow behaves as declared. */
  Passing: 'Passing',
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
} as const;

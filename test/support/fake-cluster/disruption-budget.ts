/**
 * The arithmetic of a PodDisruptionBudget's status (pure), as the disruption controller does it
 * (kubernetes pkg/controller/disruption/disruption.go: getExpectedPodCount, countHealthyPods,
 * updatePdbStatus; component-helpers apps/poddisruptionbudget UpdateDisruptionAllowedCondition).
 * Where the controllers' scale comes from is fake-disruption-controller.ts's business.
 */

export type IntOrPercent = number | string;

export interface BudgetSpec {
  minAvailable?: IntOrPercent;
  maxUnavailable?: IntOrPercent;
}

export interface BudgetPod {
  metadata: { deletionTimestamp?: string };
  status?: { conditions?: { type: string; status: string }[] };
}

export interface BudgetNumbers {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
}

/**
 * Whether the expected count is the sum of the pods' controllers' scales: for maxUnavailable, and for a
 * percentage minAvailable. An integer minAvailable counts the selected pods instead and needs no scale.
 */
export function needsScale(spec: BudgetSpec): boolean {
  return spec.maxUnavailable !== undefined || typeof spec.minAvailable === 'string';
}

/** intstr.GetScaledValueFromIntOrPercent(value, total, roundUp=true). */
export function scaledValue(value: IntOrPercent, total: number): number {
  if (typeof value === 'number') return value;
  const match = /^(\d+)%$/.exec(value);
  if (!match) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  return Math.ceil((Number(match[1]) * total) / 100);
}

/** countHealthyPods: not being deleted and Ready (the DisruptedPods map is not modelled). */
export function isHealthy(pod: BudgetPod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/**
 * The status numbers of a budget over `pods`; `expectedScale` is the sum of their controllers' scales and
 * is only read when needsScale(spec).
 */
export function budgetNumbers(spec: BudgetSpec, pods: BudgetPod[], expectedScale: number): BudgetNumbers {
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined) {
    expectedPods = expectedScale;
    desiredHealthy = Math.max(0, expectedPods - scaledValue(spec.maxUnavailable, expectedPods));
  } else if (typeof spec.minAvailable === 'number') {
    desiredHealthy = spec.minAvailable;
    expectedPods = pods.length;
  } else if (spec.minAvailable !== undefined) {
    expectedPods = expectedScale;
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods);
  }
  const currentHealthy = pods.filter(isHealthy).length;
  // updatePdbStatus: a budget that expects no pods allows nothing (safe while pods first appear).
  const surplus = currentHealthy - desiredHealthy;
  const disruptionsAllowed = expectedPods <= 0 || surplus <= 0 ? 0 : surplus;
  return { expectedPods, desiredHealthy, currentHealthy, disruptionsAllowed };
}

/** The DisruptionAllowed condition after a successful sync (UpdateDisruptionAllowedCondition). */
export function allowedCondition(numbers: BudgetNumbers, observedGeneration: number) {
  const allowed = numbers.disruptionsAllowed > 0;
  return {
    type: 'DisruptionAllowed',
    status: allowed ? 'True' : 'False',
    reason: allowed ? 'SufficientPods' : 'InsufficientPods',
    message: '',
    observedGeneration,
  };
}

/** failSafe: what a failed sync leaves, so that no eviction is approved on stale numbers. */
export function syncFailedCondition(message: string, observedGeneration: number) {
  return { type: 'DisruptionAllowed', status: 'False', reason: 'SyncFailed', message, observedGeneration };
}

// Conditions whose lastTransitionTime moves only when their status flips (Kubernetes API conventions:
// "lastTransitionTime ... the last time the condition transitioned from one status to another").
import type { Condition } from '../api/types.js';

export type ConditionInput = Omit<Condition, 'lastTransitionTime'>;

/** Sets `next` among `previous`, keeping its lastTransitionTime when the status did not change. */
export function setCondition(previous: readonly Condition[], next: ConditionInput, now: string): Condition[] {
  const old = previous.find((c) => c.type === next.type);
  const lastTransitionTime = old && old.status === next.status ? old.lastTransitionTime : now;
  const updated: Condition = { ...next, lastTransitionTime };
  const others = previous.filter((c) => c.type !== next.type);
  return [...others, updated].sort((a, b) => a.type.localeCompare(b.type));
}

export function setConditions(
  previous: readonly Condition[],
  next: ConditionInput[],
  now: string,
): Condition[] {
  return next.reduce<Condition[]>((acc, c) => setCondition(acc, c, now), [...previous]);
}

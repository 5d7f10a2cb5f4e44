// Which events a run's verdict changes deserve (pure). One event per reason per run, naming the flows, so
// a test with fifty flows that all drift at once raises one warning, not fifty.
import type { FlowResult } from '../api/types.js';
import { resultKey } from '../verdict/result-key.js';

export interface EventIntent {
  type: 'Normal' | 'Warning';
  reason:
    'DriftDetected' | 'DriftResolved' | 'ProbeErrors' | 'InvalidSpec' | 'RunFailed' | 'NamespacesSampled';
  note: string;
}

/** Events for the transitions between two runs' results; `previous` is undefined for a first run. */
export function verdictEvents(
  previous: readonly FlowResult[] | undefined,
  current: readonly FlowResult[],
): EventIntent[] {
  const before = new Map((previous ?? []).map((r) => [resultKey(r), r.verdict]));
  const drifted = current.filter((r) => r.verdict === 'Fail' && before.get(resultKey(r)) !== 'Fail');
  const resolved = current.filter((r) => r.verdict === 'Pass' && before.get(resultKey(r)) === 'Fail');
  const errored = current.filter((r) => r.verdict === 'Error' && before.get(resultKey(r)) !== 'Error');
  const events: EventIntent[] = [];
  if (drifted.length > 0) {
    events.push({
      type: 'Warning',
      reason: 'DriftDetected',
      note: describe(drifted, (r) => `${resultKey(r)}: ${r.diagnosis}`),
    });
  }
  if (resolved.length > 0) {
    events.push({
      type: 'Normal',
      reason: 'DriftResolved',
      note: describe(resolved, (r) => `${resultKey(r)} holds again`),
    });
  }
  if (errored.length > 0) {
    events.push({
      type: 'Warning',
      reason: 'ProbeErrors',
      note: describe(errored, (r) => `${resultKey(r)}: ${r.diagnosis}`),
    });
  }
  return events;
}

export function invalidSpecEvent(problems: readonly string[]): EventIntent {
  return {
    type: 'Warning',
    reason: 'InvalidSpec',
    note: `spec is invalid: ${problems.join('; ')}`,
  };
}

/** A run that could not complete; the recorder folds repeats of the same note into one Event's series. */
export function runFailedEvent(message: string): EventIntent {
  return { type: 'Warning', reason: 'RunFailed', note: message };
}

/** The whole list; the recorder cuts a note to what the API server takes (event-note.ts). */
function describe(results: readonly FlowResult[], line: (r: FlowResult) => string): string {
  return results.map(line).join('; ');
}

// From a probe pod's log (or the local run's stdout) to one result per probe. Pure and total: a probe
// whose line is missing or unreadable becomes an Error result that keeps what was there.
import { classifyAttempt } from './classify.js';
import { parseLine, type LineParse, type ResultLine } from './result-line.js';
import type { Attempt, ProbeResult } from './types.js';

/**
 * `targets[i]` labels the probe that was argument i + 1 of the script (see `probeCommand`). Lines for
 * an index outside `targets` are ignored; if a probe has several lines, the first one counts.
 */
export function parseProbeLog(text: string, targets: readonly string[]): ProbeResult[] {
  const byIndex = new Map<number, LineParse>();
  const notes: string[] = [];
  for (const raw of text.split('\n')) {
    const parsed = parseLine(raw);
    if (parsed.kind === 'result' && !byIndex.has(parsed.line.index)) byIndex.set(parsed.line.index, parsed);
    else if (parsed.kind === 'malformed' && parsed.index !== undefined && !byIndex.has(parsed.index)) {
      byIndex.set(parsed.index, parsed);
    } else if (parsed.kind === 'script-error') notes.push(`the script refused to run: ${parsed.message}`);
  }
  return targets.map((target, i) => {
    const found = byIndex.get(i + 1);
    if (found?.kind === 'result') return fromLine(target, found.line);
    if (found?.kind === 'malformed') return errorResult(target, 'malformed-result-line', found.raw);
    const why = notes[0] ?? `no result line for probe ${i + 1}; output: ${tail(text)}`;
    return errorResult(target, 'no-result-line', why);
  });
}

function fromLine(target: string, line: ResultLine): ProbeResult {
  const attempts: Attempt[] = line.attempts.map((a) => ({ ...a, ...classifyAttempt(a) }));
  // readResult guarantees at least one attempt.
  const last = attempts[attempts.length - 1] as Attempt;
  const result: ProbeResult = {
    target,
    outcome: last.outcome,
    detail: last.detail,
    durationMs: last.atMs + last.durationMs,
    settled: line.settled,
    attempts,
    message: last.message,
  };
  if (last.httpStatus !== undefined) result.httpStatus = last.httpStatus;
  return result;
}

function errorResult(target: string, detail: string, message: string): ProbeResult {
  return { target, outcome: 'Error', detail, durationMs: 0, settled: false, attempts: [], message };
}

function tail(text: string): string {
  const t = text.trim();
  if (t === '') return '(empty)';
  return t.length > 300 ? `...${t.slice(-300)}` : t;
}

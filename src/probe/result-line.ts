// Reading the script's output lines (format in script.ts). Pure and total: never throws; a line that
// carries the marker but cannot be read is reported as malformed, with its text kept.

import type { RawAttempt } from './types.js';

export type { RawAttempt } from './types.js';

export const RESULT_MARKER = 'FLOWPROBE1|';
export const END_MARKER = 'FLOWPROBE1-END|';
export const ERROR_MARKER = 'FLOWPROBE1-ERROR|';

export interface ResultLine {
  /** 1-based position of the probe among the script's arguments. */
  index: number;
  kind: string;
  host: string;
  port: string;
  path: string;
  settled: boolean;
  attempts: RawAttempt[];
}

export type LineParse =
  | { kind: 'result'; line: ResultLine }
  | { kind: 'malformed'; index?: number; reason: string; raw: string }
  | { kind: 'end'; count: number }
  | { kind: 'script-error'; message: string }
  | { kind: 'other' };

const UINT = /^[0-9]{1,9}$/;

/** Classifies one line of log text. Text before the marker (e.g. a log timestamp) is ignored. */
export function parseLine(text: string): LineParse {
  const raw = text.replace(/\r$/, '');
  for (const [marker, read] of READERS) {
    const at = raw.indexOf(marker);
    if (at >= 0) return read(raw.slice(at + marker.length), raw);
  }
  return { kind: 'other' };
}

const READERS: [string, (rest: string, raw: string) => LineParse][] = [
  [END_MARKER, (rest) => (UINT.test(rest) ? { kind: 'end', count: Number(rest) } : { kind: 'other' })],
  [ERROR_MARKER, (rest) => ({ kind: 'script-error', message: rest })],
  [RESULT_MARKER, readResult],
];

function readResult(rest: string, raw: string): LineParse {
  const fields = rest.split('|');
  const [index, kind = '', host = '', port = '', path = '', settled = '', count = '', ...records] = fields;
  const malformed = (reason: string): LineParse => ({
    kind: 'malformed',
    ...(index !== undefined && UINT.test(index) ? { index: Number(index) } : {}),
    reason,
    raw,
  });
  if (index === undefined || !UINT.test(index)) return malformed('no probe index');
  if (settled !== '0' && settled !== '1') return malformed('settled is neither 0 nor 1');
  if (!UINT.test(count) || Number(count) !== records.length || records.length === 0) {
    return malformed(`attempt count '${count}' does not match ${records.length} attempt records`);
  }
  const attempts: RawAttempt[] = [];
  for (const record of records) {
    const attempt = readAttempt(record);
    if (attempt === undefined) return malformed(`unreadable attempt record '${record}'`);
    attempts.push(attempt);
  }
  const line = { index: Number(index), kind, host, port, path, settled: settled === '1', attempts };
  return { kind: 'result', line };
}

/** AT_MS,ELAPSED_MS,STEP,RC,ADDRESS,HTTP_STATUS,MESSAGE — the message is last and may hold commas. */
function readAttempt(record: string): RawAttempt | undefined {
  const parts = record.split(',');
  if (parts.length < 7) return undefined;
  const [at = '', elapsed = '', step = '', rc = '', address = '', status = ''] = parts;
  if (!UINT.test(at) || !UINT.test(elapsed) || !UINT.test(rc) || !/^[a-z]+$/.test(step)) return undefined;
  if (status !== '' && !/^[0-9]{3}$/.test(status)) return undefined;
  const attempt: RawAttempt = {
    atMs: Number(at),
    durationMs: Number(elapsed),
    step,
    exitCode: Number(rc),
    address,
    message: parts.slice(6).join(','),
  };
  if (status !== '') attempt.httpStatus = Number(status);
  return attempt;
}

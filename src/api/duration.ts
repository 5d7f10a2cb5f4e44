// The whole-unit Go durations an interval accepts (patterns.ts INTERVAL): `1h30m` → 5400 seconds.
import { INTERVAL } from './patterns.js';

const INTERVAL_RE = new RegExp(INTERVAL.pattern);
const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1 };

/** Seconds in an interval such as `1h30m`, or undefined when the text is not one. */
export function intervalSeconds(text: string): number | undefined {
  if (!INTERVAL_RE.test(text)) return undefined;
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/([0-9]+)([hms])/g)) {
    seconds += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 1);
  }
  return seconds;
}

import { strict as assert } from 'node:assert';
import { nextRunIn } from '../../src/controller/schedule.js';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const ran = (generation: number, at = T0) => ({
  observedGeneration: generation,
  lastRunTime: new Date(at).toISOString(),
});

describe('when a test runs next', () => {
  const cases: [string, Parameters<typeof nextRunIn>[0], number | undefined][] = [
    [
      'a test never run runs now',
      { generation: 1, status: undefined, intervalMs: 60_000, suspended: false, now: T0 },
      0,
    ],
    [
      'a changed spec runs now',
      { generation: 2, status: ran(1), intervalMs: 60_000, suspended: false, now: T0 },
      0,
    ],
    [
      'an answered spec waits for the rest of its interval',
      { generation: 1, status: ran(1), intervalMs: 60_000, suspended: false, now: T0 + 20_000 },
      40_000,
    ],
    [
      'an overdue test runs now',
      { generation: 1, status: ran(1), intervalMs: 60_000, suspended: false, now: T0 + 90_000 },
      0,
    ],
    [
      'without interval, an answered spec waits for a change',
      { generation: 1, status: ran(1), intervalMs: undefined, suspended: false, now: T0 },
      undefined,
    ],
    [
      'a suspended test never runs',
      { generation: 2, status: ran(1), intervalMs: 60_000, suspended: true, now: T0 },
      undefined,
    ],
  ];
  for (const [name, input, want] of cases) {
    it(name, () => {
      assert.equal(nextRunIn(input), want);
    });
  }
});

// The exposition of a fixed scenario against a committed golden file: renaming a metric, a label or a help
// text is a visible diff in review (kuberhealthy does the same). Regenerate after an intended change with
//   UPDATE_GOLDEN=1 npx mocha test/metrics/exposition.test.ts
// and review the diff of test/metrics/golden/exposition.txt.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMetrics, type FlowprobeMetrics } from '../../src/metrics/index.js';
import { result } from './support/fixtures.js';

const GOLDEN = fileURLToPath(new URL('golden/exposition.txt', import.meta.url));

/**
 * Two runs of production/api-baseline (a flow removed in between, one drifting twice), a run-once test in
 * team-b, a deleted test, and some operator health. Times and durations are fixed; no process metrics.
 */
function goldenScenario(): FlowprobeMetrics {
  const m = createMetrics();
  const api = { namespace: 'production', test: 'api-baseline' };
  m.recordRun(
    api,
    [
      result('frontend-to-api', 'Pass', 'Connected', { durationMs: 12 }),
      result('no-metadata', 'Fail', 'Connected', { expected: 'Denied', durationMs: 8 }),
      result('old-flow', 'Pass', 'Blocked', { expected: 'Denied', durationMs: 2004 }),
    ],
    { finishedAt: new Date('2026-11-24T10:00:00Z'), intervalSeconds: 300 },
  );
  m.recordRun(
    api,
    [
      result('frontend-to-api', 'Fail', 'DNSFailure', { durationMs: 5010 }),
      result('no-metadata', 'Fail', 'Connected', { expected: 'Denied', durationMs: 9 }),
    ],
    { finishedAt: new Date('2026-11-24T10:05:00Z'), intervalSeconds: 300 },
  );
  const egress = { namespace: 'team-b', test: 'egress' };
  m.registerTest(egress, {});
  m.recordRun(egress, [result('to-internet', 'Error', 'Error')], {
    finishedAt: new Date('2026-11-24T09:00:00Z'),
  });
  m.countProbeError(egress);
  const deleted = { namespace: 'team-b', test: 'deleted' };
  m.recordRun(deleted, [result('gone', 'Pass', 'Refused', { durationMs: 3 })], {
    finishedAt: new Date('2026-11-24T09:30:00Z'),
    intervalSeconds: 60,
  });
  m.forgetTest(deleted);
  m.observeReconcile(0.02);
  m.observeReconcile(0.3);
  m.setQueueDepth(1);
  m.setProbePodsAlive(2);
  m.setLeader(true);
  m.countApiError('patch');
  return m;
}

describe('the metrics exposition', () => {
  it('matches the golden file for a fixed scenario', async () => {
    const text = await goldenScenario().registry.metrics();
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, text);
    assert.equal(text, readFileSync(GOLDEN, 'utf8'), 'exposition changed: review, then UPDATE_GOLDEN=1');
  });

  it('is the same text on every scrape of the same state', async () => {
    const { registry } = goldenScenario();
    assert.equal(await registry.metrics(), await registry.metrics());
  });
});

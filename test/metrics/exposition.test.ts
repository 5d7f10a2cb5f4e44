// The exposition of a fixed scenario against a committed golden file: renaming a metric, a label or a help
// text is a visible diff in review (kuberhealthy does the same). Regenerate after an intended change with
//   UPDATE_GOLDEN=1 npx mocha test/metrics/exposition.test.ts
// and review the diff of test/metrics/golden/exposition.txt.
import { strict as assert } from 'node:assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  createMetrics,
  createMetricsServer,
  expositionChunks,
  type FlowprobeMetrics,
} from '../../src/metrics/index.js';
import { result } from './support/fixtures.js';

const GOLDEN = fileURLToPath(new URL('golden/exposition.txt', import.meta.url));
/** The heap moves between two reads; a fixed one keeps the text comparable (40 MiB used of 131 MiB). */
const FIXED_HEAP = () => ({ used_heap_size: 41_943_040, heap_size_limit: 137_363_456 });

/**
 * Two runs of production/api-baseline (a flow removed in between, one drifting twice), a run-once test in
 * team-b, a test whose runs never complete, a deleted test, and some operator health. Times, durations and
 * the heap are fixed; no process metrics; policy coverage of production and the cluster-scoped policies.
 */
function goldenScenario(): FlowprobeMetrics {
  const m = createMetrics({ heapStatistics: FIXED_HEAP });
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
  // A test whose every attempt fails: created, with an interval, attempted twice, never completed.
  const failing = { namespace: 'team-b', test: 'never-ran' };
  m.registerTest(failing, { intervalSeconds: 60, createdAt: new Date('2026-11-24T09:50:00Z') });
  m.recordRunFailure(failing, new Date('2026-11-24T09:51:00Z'));
  m.recordRunFailure(failing, new Date('2026-11-24T09:52:00Z'));
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
  // Coverage, computed twice: team-b went in between, and its series with it; cluster-scoped rules under ''.
  const cov = (namespace: string, rules: number, workloads: number) => ({
    namespace,
    rules,
    rulesExercised: rules - 1,
    workloads,
    isolatedIngress: workloads,
    isolatedEgress: workloads - 1,
    tested: workloads - 1,
  });
  m.setCoverage([cov('production', 9, 3), cov('team-b', 2, 1)]);
  m.setCoverage([cov('', 3, 0), cov('production', 9, 3)]);
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

/** Enough series that the per-flow families span several chunks, and label values that need escaping. */
function largeScenario(): FlowprobeMetrics {
  const m = createMetrics({ processMetrics: true, heapStatistics: FIXED_HEAP });
  for (let t = 0; t < 60; t++) {
    const ref = { namespace: `ns-${t % 3}`, test: t === 7 ? 'we"ird\\name\nline' : `test-${t}` };
    const results = Array.from({ length: 40 }, (_, f) =>
      result(`flow-${f}`, f % 5 === 0 ? 'Fail' : 'Pass', f % 2 ? 'Blocked' : 'Connected', {
        ...(f % 7 ? { durationMs: 1000 + f } : {}),
      }),
    );
    m.recordRun(ref, results, { finishedAt: new Date('2026-11-24T10:00:00Z'), intervalSeconds: 60 });
  }
  return m;
}

async function streamed(metrics: FlowprobeMetrics): Promise<{ text: string; chunks: number }> {
  let text = '';
  let chunks = 0;
  for await (const chunk of expositionChunks(metrics.registry)) {
    text += chunk;
    chunks += 1;
  }
  return { text, chunks };
}

describe('the streamed exposition (what /metrics sends)', () => {
  it('is the registry text, byte for byte, for the golden scenario', async () => {
    const metrics = goldenScenario();
    assert.equal((await streamed(metrics)).text, await metrics.registry.metrics());
  });

  it('is the registry text for 2,400 flows in many chunks, escaping included', async () => {
    const metrics = largeScenario();
    const { text, chunks } = await streamed(metrics);
    // Process metrics (CPU seconds, heap) move between two reads: compare the flowprobe families only.
    const ours = (t: string) => t.split('\n\n').filter((family) => family.includes('flowprobe_'));
    assert.deepEqual(ours(text), ours(await metrics.registry.metrics()));
    assert.ok(chunks > 20, `${chunks} chunks`);
    assert.match(text, /test="we\\"ird\\\\name\\nline"/);
  });

  it('is what GET /metrics answers', async () => {
    const metrics = largeScenario();
    const server = createMetricsServer({
      registry: metrics.registry,
      readiness: () => ({ ready: true }),
      host: '127.0.0.1',
      port: 0,
    });
    const url = await server.listen();
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      // Big enough that the server waits for 'drain' many times: each wait must clean up after itself.
      const body = await (await fetch(`${url}/metrics`)).text();
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(warnings, []);
      const ours = (t: string) => t.split('\n\n').filter((family) => family.includes('flowprobe_'));
      assert.deepEqual(ours(body), ours(await metrics.registry.metrics()));
    } finally {
      process.off('warning', onWarning);
      await server.close();
    }
  });
});

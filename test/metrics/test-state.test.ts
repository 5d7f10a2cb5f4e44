// The per-test families are rendered at scrape time from the record the operator keeps per test: what a
// scrape shows must follow registrations, runs, probe errors and deletions, and prom-client must hold no
// per-test series between scrapes.
import { strict as assert } from 'node:assert';
import type { Counter, Gauge } from 'prom-client';
import { createMetrics, OUTCOMES, RUN_RESULTS } from '../../src/metrics/index.js';
import { result, valueOf } from './support/fixtures.js';

const API = { namespace: 'prod', test: 'api' };
const WEB = { namespace: 'prod', test: 'web' };
const AT = new Date('2026-11-24T10:00:00Z');
const LATER = new Date('2026-11-24T10:05:00Z');
const GAUGES = [
  'flowprobe_test_last_run_timestamp_seconds',
  'flowprobe_test_flows',
  'flowprobe_test_interval_seconds',
];
const COUNTERS = ['flowprobe_runs_total', 'flowprobe_probes_total', 'flowprobe_probe_errors_total'];

/** The exposition lines of one family's series, `name{labels} value`. */
async function lines(metrics: ReturnType<typeof createMetrics>, name: string): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return text.split('\n').filter((l) => l.startsWith(`${name}{`));
}

describe('the per-test series', () => {
  it('count on across runs and probe errors', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Fail', 'Blocked'), result('b', 'Pass', 'Connected')], {
      finishedAt: AT,
    });
    metrics.recordRun(API, [result('a', 'Pass', 'Connected')], { finishedAt: LATER });
    metrics.countProbeError(API);
    metrics.countProbeError(API);
    const r = metrics.registry;
    assert.equal(await valueOf(r, 'flowprobe_runs_total', { ...API, result: 'Fail' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_runs_total', { ...API, result: 'Pass' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_probes_total', { ...API, outcome: 'Connected' }), 2);
    assert.equal(await valueOf(r, 'flowprobe_probes_total', { ...API, outcome: 'Blocked' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_probe_errors_total', API), 2);
    // The gauges show the last run only.
    assert.equal(await valueOf(r, 'flowprobe_test_flows', { ...API, verdict: 'Pass' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_test_flows', { ...API, verdict: 'Fail' }), 0);
    assert.equal(await valueOf(r, 'flowprobe_test_last_run_timestamp_seconds', API), LATER.getTime() / 1000);
  });

  it('are exported with their type: counters as counters, gauges as gauges', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [], { finishedAt: AT, intervalSeconds: 60 });
    const text = await metrics.registry.metrics();
    for (const name of GAUGES) assert.ok(text.includes(`\n# TYPE ${name} gauge\n`), name);
    for (const name of COUNTERS) assert.ok(text.includes(`\n# TYPE ${name} counter\n`), name);
  });

  it('of a test known only from its status show its last run time, no flows and zeroed counters', async () => {
    const metrics = createMetrics();
    metrics.registerTest(API, { lastRunAt: AT });
    assert.deepEqual(await lines(metrics, 'flowprobe_test_last_run_timestamp_seconds'), [
      `flowprobe_test_last_run_timestamp_seconds{namespace="prod",test="api"} ${AT.getTime() / 1000}`,
    ]);
    assert.deepEqual(await lines(metrics, 'flowprobe_test_flows'), []);
    assert.deepEqual(await lines(metrics, 'flowprobe_test_interval_seconds'), []);
    assert.deepEqual(
      await lines(metrics, 'flowprobe_runs_total'),
      RUN_RESULTS.map((r) => `flowprobe_runs_total{namespace="prod",test="api",result="${r}"} 0`),
    );
    assert.equal((await lines(metrics, 'flowprobe_probes_total')).length, OUTCOMES.length);
  });

  it('follow the tests in the order first known, whatever was set or removed since', async () => {
    const metrics = createMetrics();
    metrics.registerTest(API, {});
    metrics.recordRun(WEB, [], { finishedAt: AT, intervalSeconds: 60 });
    metrics.countProbeError(WEB);
    metrics.recordRun(API, [], { finishedAt: LATER, intervalSeconds: 60 });
    metrics.registerTest(WEB, {}); // interval gone ...
    metrics.registerTest(WEB, { intervalSeconds: 30 }); // ... and back
    for (const name of [...GAUGES, ...COUNTERS]) {
      const tests = (await lines(metrics, name)).map((l) => /test="(\w+)"/.exec(l)?.[1]);
      assert.deepEqual([...new Set(tests)], ['api', 'web'], name);
    }
  });

  it('of a forgotten test are all gone, those of the other tests stay, and a new one starts at 0', async () => {
    const metrics = createMetrics();
    for (const ref of [API, WEB]) {
      metrics.registerTest(ref, { intervalSeconds: 60, lastRunAt: AT });
      metrics.recordRun(ref, [result('a', 'Pass', 'Connected')], { finishedAt: LATER, intervalSeconds: 60 });
      metrics.countProbeError(ref);
    }
    const webBefore = (await metrics.registry.metrics()).split('\n').filter((l) => l.includes('test="web"'));
    metrics.forgetTest(API);
    const text = await metrics.registry.metrics();
    assert.ok(!text.includes('test="api"'));
    assert.deepEqual(
      text.split('\n').filter((l) => l.includes('test="web"')),
      webBefore,
    );
    metrics.registerTest(API, {});
    assert.equal(await valueOf(metrics.registry, 'flowprobe_probe_errors_total', API), 0);
    assert.equal(await valueOf(metrics.registry, 'flowprobe_runs_total', { ...API, result: 'Pass' }), 0);
    metrics.forgetAllTests();
    assert.ok(!(await metrics.registry.metrics()).includes('test="'));
  });

  it('are not stored in prom-client: the families keep no series and refuse to store any', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Pass', 'Connected')], { finishedAt: AT, intervalSeconds: 60 });
    metrics.countProbeError(API);
    await metrics.registry.metrics();
    for (const name of [...GAUGES, ...COUNTERS]) {
      const metric = metrics.registry.getSingleMetric(name);
      assert.deepEqual((metric as unknown as { hashMap: object }).hashMap, {}, name);
      assert.throws(() => {
        (metric as Gauge | Counter).inc({ ...API, result: 'Pass' }, 1);
      }, /computed at scrape time/);
      assert.throws(() => {
        (metric as Gauge).set(API, 1);
      }, /computed at scrape time/);
      assert.throws(() => {
        (metric as Counter).remove(API);
      }, /computed at scrape time/);
    }
  });
});

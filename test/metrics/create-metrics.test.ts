import { strict as assert } from 'node:assert';
import { getHeapStatistics } from 'node:v8';
import { register as globalRegistry } from 'prom-client';
import { createMetrics, OUTCOMES, RUN_RESULTS } from '../../src/metrics/index.js';
import { result, samples, seriesWith, valueOf } from './support/fixtures.js';

const API = { namespace: 'prod', test: 'api' };
const AT = new Date('2026-11-24T10:00:00Z');
const LATER = new Date('2026-11-24T10:05:00Z');

describe('the operator metrics', () => {
  it('live on their own registry, never on the global one', async () => {
    const before = await globalRegistry.metrics();
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Pass', 'Connected')], { finishedAt: AT });
    assert.notEqual(metrics.registry, globalRegistry);
    assert.equal(await globalRegistry.metrics(), before);
    assert.equal(globalRegistry.getSingleMetric('flowprobe_flow_passing'), undefined);
  });

  it('can be created twice in one process (one registry each)', () => {
    assert.doesNotThrow(() => [createMetrics(), createMetrics()]);
  });

  it('export no process metrics unless asked', async () => {
    assert.equal(await valueOf(createMetrics().registry, 'process_cpu_user_seconds_total', {}), undefined);
    const withProcess = createMetrics({ processMetrics: true });
    assert.ok((await withProcess.registry.metrics()).includes('process_cpu_user_seconds_total'));
  });

  it("report the V8 heap's use and its limit at each scrape", async () => {
    let used = 40 * 2 ** 20;
    const metrics = createMetrics({
      heapStatistics: () => ({ used_heap_size: used, heap_size_limit: 160 * 2 ** 20 }),
    });
    assert.equal(await valueOf(metrics.registry, 'flowprobe_heap_used_bytes', {}), 40 * 2 ** 20);
    assert.equal(await valueOf(metrics.registry, 'flowprobe_heap_limit_bytes', {}), 160 * 2 ** 20);
    used = 150 * 2 ** 20;
    assert.equal(await valueOf(metrics.registry, 'flowprobe_heap_used_bytes', {}), 150 * 2 ** 20);
  });

  it("read this process's own heap limit by default", async () => {
    const limit = await valueOf(createMetrics().registry, 'flowprobe_heap_limit_bytes', {});
    assert.equal(limit, getHeapStatistics().heap_size_limit);
  });

  it('start the API error counters of every known verb at 0, and count unknown verbs as other', async () => {
    const metrics = createMetrics();
    const verbs = (await samples(metrics.registry, 'flowprobe_api_errors_total')).map((s) => s.labels.verb);
    assert.deepEqual(verbs, ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'other']);
    metrics.countApiError('patch');
    metrics.countApiError('escalate' as 'other');
    assert.equal(await valueOf(metrics.registry, 'flowprobe_api_errors_total', { verb: 'patch' }), 1);
    assert.equal(await valueOf(metrics.registry, 'flowprobe_api_errors_total', { verb: 'other' }), 1);
  });

  it('start the counters of a newly known test at 0', async () => {
    const metrics = createMetrics();
    metrics.registerTest(API, { intervalSeconds: 60 });
    for (const r of RUN_RESULTS) {
      assert.equal(await valueOf(metrics.registry, 'flowprobe_runs_total', { ...API, result: r }), 0, r);
    }
    for (const o of OUTCOMES) {
      assert.equal(await valueOf(metrics.registry, 'flowprobe_probes_total', { ...API, outcome: o }), 0, o);
    }
    assert.equal(await valueOf(metrics.registry, 'flowprobe_probe_errors_total', API), 0);
    assert.equal(await valueOf(metrics.registry, 'flowprobe_test_interval_seconds', API), 60);
    assert.equal(
      await valueOf(metrics.registry, 'flowprobe_test_last_run_timestamp_seconds', API),
      undefined,
    );
  });

  it('seed the last run time of a registered test from its status', async () => {
    const metrics = createMetrics();
    metrics.registerTest(API, { intervalSeconds: 60, lastRunAt: AT });
    const seconds = await valueOf(metrics.registry, 'flowprobe_test_last_run_timestamp_seconds', API);
    assert.equal(seconds, AT.getTime() / 1000);
  });

  it('record a run: per-flow gauges, per-test gauges and counters, and the duration histogram', async () => {
    const metrics = createMetrics();
    metrics.recordRun(
      API,
      [
        result('a', 'Pass', 'Connected', { durationMs: 30 }),
        result('b', 'Fail', 'Connected', { expected: 'Denied', durationMs: 40 }),
      ],
      { finishedAt: AT, intervalSeconds: 300 },
    );
    const r = metrics.registry;
    const b = { ...API, flow: 'b' };
    assert.equal(await valueOf(r, 'flowprobe_flow_passing', { ...API, flow: 'a' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_flow_passing', b), 0);
    assert.equal(await valueOf(r, 'flowprobe_flow_expected_allowed', b), 0);
    assert.equal(await valueOf(r, 'flowprobe_flow_outcome', { ...b, outcome: 'Connected' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_flow_verdict', { ...b, verdict: 'Fail' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_flow_probe_duration_seconds', b), 0.04);
    assert.equal(await valueOf(r, 'flowprobe_flow_consecutive_failures', b), 1);
    assert.equal(await valueOf(r, 'flowprobe_test_last_run_timestamp_seconds', API), AT.getTime() / 1000);
    assert.equal(await valueOf(r, 'flowprobe_test_flows', { ...API, verdict: 'Fail' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_test_interval_seconds', API), 300);
    assert.equal(await valueOf(r, 'flowprobe_runs_total', { ...API, result: 'Fail' }), 1);
    assert.equal(await valueOf(r, 'flowprobe_probes_total', { ...API, outcome: 'Connected' }), 2);
    assert.equal(await valueOf(r, 'flowprobe_probe_duration_seconds_count', { outcome: 'Connected' }), 2);
  });

  it('keep exactly one outcome at 1 per flow, run after run', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Fail', 'Blocked')], { finishedAt: AT });
    metrics.recordRun(API, [result('a', 'Fail', 'DNSFailure')], { finishedAt: LATER });
    const outcomes = await samples(metrics.registry, 'flowprobe_flow_outcome');
    assert.equal(outcomes.length, OUTCOMES.length);
    assert.deepEqual(
      outcomes.filter((s) => s.value === 1).map((s) => s.labels.outcome),
      ['DNSFailure'],
    );
  });

  it('count consecutive failing runs per flow and reset the count on a pass', async () => {
    const metrics = createMetrics();
    const streak = () =>
      valueOf(metrics.registry, 'flowprobe_flow_consecutive_failures', { ...API, flow: 'a' });
    metrics.recordRun(API, [result('a', 'Fail', 'Blocked')], { finishedAt: AT });
    assert.equal(await streak(), 1);
    metrics.recordRun(API, [result('a', 'Fail', 'Blocked')], { finishedAt: LATER });
    assert.equal(await streak(), 2);
    metrics.recordRun(API, [result('a', 'Pass', 'Connected')], { finishedAt: LATER });
    assert.equal(await streak(), 0);
  });

  it('resume a failure streak from the previous status after a restart', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Fail', 'Blocked')], {
      finishedAt: LATER,
      previousResults: [result('a', 'Fail', 'Blocked')],
    });
    assert.equal(
      await valueOf(metrics.registry, 'flowprobe_flow_consecutive_failures', { ...API, flow: 'a' }),
      2,
    );
  });

  it('remove every series of a flow that a later run no longer has', async () => {
    const metrics = createMetrics();
    metrics.recordRun(
      API,
      [result('a', 'Pass', 'Connected', { durationMs: 5 }), result('b', 'Fail', 'Blocked')],
      {
        finishedAt: AT,
      },
    );
    metrics.recordRun(API, [result('a', 'Pass', 'Connected', { durationMs: 5 })], { finishedAt: LATER });
    assert.deepEqual(await seriesWith(metrics.registry, { flow: 'b' }), []);
    assert.notDeepEqual(await seriesWith(metrics.registry, { flow: 'a' }), []);
  });

  it('remove a flow duration when the next probe reports none', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Pass', 'Connected', { durationMs: 5 })], { finishedAt: AT });
    metrics.recordRun(API, [result('a', 'Error', 'Error')], { finishedAt: LATER });
    const duration = await valueOf(metrics.registry, 'flowprobe_flow_probe_duration_seconds', {
      ...API,
      flow: 'a',
    });
    assert.equal(duration, undefined);
  });

  it('remove the interval of a test that no longer has one', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [], { finishedAt: AT, intervalSeconds: 60 });
    metrics.recordRun(API, [], { finishedAt: LATER });
    assert.equal(await valueOf(metrics.registry, 'flowprobe_test_interval_seconds', API), undefined);
  });

  it('remove every series of a deleted test, and only those', async () => {
    const metrics = createMetrics();
    const other = { namespace: 'prod', test: 'web' };
    for (const ref of [API, other]) {
      metrics.recordRun(ref, [result('a', 'Fail', 'Blocked', { durationMs: 5 })], {
        finishedAt: AT,
        intervalSeconds: 60,
      });
      metrics.countProbeError(ref);
    }
    const webBefore = await seriesWith(metrics.registry, { test: 'web' });
    metrics.forgetTest(API);
    assert.deepEqual(await seriesWith(metrics.registry, { test: 'api' }), []);
    // 14 series of flow a (one-hot outcome 6, verdict 4, four more) and 18 of the test itself.
    assert.equal(webBefore.length, 32);
    assert.deepEqual(await seriesWith(metrics.registry, { test: 'web' }), webBefore);
    metrics.forgetTest(API); // a second delete event is harmless
  });

  it('remove every test series when the replica stops leading, and keep its own health', async () => {
    const metrics = createMetrics();
    metrics.recordRun(API, [result('a', 'Pass', 'Connected')], { finishedAt: AT });
    metrics.recordRun({ namespace: 'dev', test: 'x' }, [], { finishedAt: AT });
    metrics.setLeader(false);
    metrics.forgetAllTests();
    assert.deepEqual(await seriesWith(metrics.registry, { namespace: 'prod' }), []);
    assert.deepEqual(await seriesWith(metrics.registry, { namespace: 'dev' }), []);
    assert.equal(await valueOf(metrics.registry, 'flowprobe_leader', {}), 0);
  });

  it('report the operator health it is given', async () => {
    const metrics = createMetrics();
    metrics.observeReconcile(0.02);
    metrics.setQueueDepth(4);
    metrics.setProbePodsAlive(2);
    metrics.setLeader(true);
    const r = metrics.registry;
    assert.equal(await valueOf(r, 'flowprobe_reconcile_duration_seconds_count', {}), 1);
    assert.equal(await valueOf(r, 'flowprobe_work_queue_depth', {}), 4);
    assert.equal(await valueOf(r, 'flowprobe_probe_pods_alive', {}), 2);
    assert.equal(await valueOf(r, 'flowprobe_leader', {}), 1);
  });
});

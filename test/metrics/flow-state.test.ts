// The per-flow families are rendered at scrape time from the flows the operator keeps per test: what a
// scrape shows must follow the runs, and prom-client must hold no per-flow series between scrapes.
import { strict as assert } from 'node:assert';
import type { Gauge } from 'prom-client';
import { createMetrics, OUTCOMES, VERDICTS } from '../../src/metrics/index.js';
import { result } from './support/fixtures.js';

const API = { namespace: 'prod', test: 'api' };
const WEB = { namespace: 'prod', test: 'web' };
const AT = new Date('2026-11-24T10:00:00Z');
const FLOW_FAMILIES = [
  'flowprobe_flow_passing',
  'flowprobe_flow_expected_allowed',
  'flowprobe_flow_outcome',
  'flowprobe_flow_verdict',
  'flowprobe_flow_probe_duration_seconds',
  'flowprobe_flow_consecutive_failures',
];

/** The exposition lines of one family's series, `name{labels} value`. */
async function lines(metrics: ReturnType<typeof createMetrics>, name: string): Promise<string[]> {
  const text = await metrics.registry.metrics();
  return text.split('\n').filter((l) => l.startsWith(`${name}{`));
}

function twoTests() {
  const metrics = createMetrics();
  metrics.recordRun(
    API,
    [result('a', 'Pass', 'Connected', { durationMs: 5 }), result('b', 'Fail', 'Blocked')],
    {
      finishedAt: AT,
    },
  );
  metrics.recordRun(WEB, [result('c', 'Flaky', 'Refused', { durationMs: 7 })], { finishedAt: AT });
  return metrics;
}

describe('the per-flow series', () => {
  it('list every outcome and verdict of each flow, exactly one of each at 1', async () => {
    const metrics = twoTests();
    for (const [family, label, values] of [
      ['flowprobe_flow_outcome', 'outcome', OUTCOMES],
      ['flowprobe_flow_verdict', 'verdict', VERDICTS],
    ] as const) {
      const series = await lines(metrics, family);
      assert.equal(series.length, 3 * values.length, family);
      for (const flow of ['a', 'b', 'c']) {
        const ofFlow = series.filter((l) => l.includes(`flow="${flow}"`));
        assert.deepEqual(
          ofFlow.map((l) => /(\w+)="(\w+)"}/.exec(l)?.slice(1)),
          values.map((v) => [label, v]),
        );
        assert.equal(ofFlow.filter((l) => l.endsWith(' 1')).length, 1, `${family} ${flow}`);
      }
    }
    assert.ok(
      (await lines(metrics, 'flowprobe_flow_outcome')).includes(
        'flowprobe_flow_outcome{namespace="prod",test="web",flow="c",outcome="Refused"} 1',
      ),
    );
  });

  it('follow the tests in the order first known and the flows in the last run order', async () => {
    const metrics = twoTests();
    metrics.recordRun(API, [result('b', 'Pass', 'Blocked'), result('a', 'Pass', 'Connected')], {
      finishedAt: AT,
    });
    const flows = (await lines(metrics, 'flowprobe_flow_passing')).map((l) => /flow="(\w+)"/.exec(l)?.[1]);
    assert.deepEqual(flows, ['b', 'a', 'c']);
  });

  it('of a flow missing from the last run are gone, in every family', async () => {
    const metrics = twoTests();
    metrics.recordRun(API, [result('a', 'Pass', 'Connected', { durationMs: 5 })], { finishedAt: AT });
    const text = await metrics.registry.metrics();
    assert.ok(!text.includes('flow="b"'));
    assert.equal((await lines(metrics, 'flowprobe_flow_consecutive_failures')).length, 2);
  });

  it('of a forgotten test are gone, and those of the other tests stay', async () => {
    const metrics = twoTests();
    metrics.forgetTest(API);
    const text = await metrics.registry.metrics();
    assert.ok(!text.includes('test="api"'));
    assert.deepEqual(await lines(metrics, 'flowprobe_flow_passing'), [
      'flowprobe_flow_passing{namespace="prod",test="web",flow="c"} 0',
    ]);
    metrics.forgetAllTests();
    assert.ok(!(await metrics.registry.metrics()).includes('flow="'));
  });

  it('are not stored in prom-client: the gauges keep no series and refuse to store any', async () => {
    const metrics = twoTests();
    await metrics.registry.metrics();
    for (const name of FLOW_FAMILIES) {
      const gauge = metrics.registry.getSingleMetric(name) as Gauge;
      assert.deepEqual((gauge as unknown as { hashMap: object }).hashMap, {}, name);
      assert.throws(() => {
        gauge.set({ namespace: 'prod', test: 'api', flow: 'a' }, 1);
      }, /computed at scrape time/);
      assert.throws(() => {
        gauge.remove({ namespace: 'prod', test: 'api', flow: 'a' });
      }, /computed at scrape time/);
    }
  });
});

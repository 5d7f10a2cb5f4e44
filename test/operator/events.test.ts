// The operator's Events in the local FAKE cluster (see harness.ts), whose API server validates Events as
// kube-apiserver does (a note of at most 1024 UTF-8 bytes; pkg/apis/core/validation/events.go) and can be
// told to refuse writes: events are best-effort, as client-go's, and never cost a run its results.
import { strict as assert } from 'node:assert';
import {
  clients,
  connectivityTest,
  createTest,
  denyIngressToWeb,
  eventually,
  flow,
  OPERATOR_USER,
  seedNamespace,
  statusFor,
  useFakeCluster,
} from './harness.js';

describe("the operator's events, in a local FAKE cluster", function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);

  const eventsIn = async (ns: string) =>
    (await clients(env.cluster).events.listNamespacedEvent({ namespace: ns })).items;

  it('keeps the status and the metrics of a run whose events the API server refuses', async () => {
    const { cluster } = env;
    const [operator] = env.operators;
    assert.ok(operator);
    await seedNamespace(cluster, 'event-faults', [denyIngressToWeb]);
    cluster.server.faults.failNext({
      verb: 'create',
      group: 'events.k8s.io',
      resource: 'events',
      namespace: 'event-faults',
      times: 100,
    });
    await createTest(cluster, connectivityTest('event-faults', 't', [flow('other', 'other', 'Allowed')]));
    const status = await statusFor(cluster, 'event-faults', 't');
    assert.equal(status.results?.[0]?.verdict, 'Fail');
    const ours = (l: string) => l.includes('namespace="event-faults"') && !l.endsWith(' 0');
    await eventually(
      async () => (await operator.metric('flowprobe_runs_total{')).some(ours),
      'the run counted in flowprobe_runs_total',
    );
    assert.ok((await operator.metric('flowprobe_test_last_run_timestamp_seconds{')).some(ours));
    await eventually(
      async () =>
        (await operator.metric('flowprobe_api_errors_total{verb="create"}')).some((l) => !l.endsWith(' 0')),
      'the refused event counted in flowprobe_api_errors_total',
    );
    assert.deepEqual(await eventsIn('event-faults'), []);
    cluster.server.faults.clear();
  });

  it('announces a drift of many flows whose diagnoses hold multi-byte characters', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'many-flows', []);
    const flows = Array.from({ length: 12 }, (_, i) => flow(`other-${i}`, 'other', 'Denied'));
    await createTest(cluster, connectivityTest('many-flows', 't', flows));
    const status = await statusFor(cluster, 'many-flows', 't');
    const diagnoses = (status.results ?? []).map((r) => `${r.flow}: ${r.diagnosis}`).join('; ');
    assert.ok(diagnoses.includes('—') && Buffer.byteLength(diagnoses) > 1024, diagnoses);
    await eventually(
      async () => (await eventsIn('many-flows')).some((e) => e.reason === 'DriftDetected'),
      'a DriftDetected event',
    );
    const [event] = (await eventsIn('many-flows')).filter((e) => e.reason === 'DriftDetected');
    assert.ok(Buffer.byteLength(event?.note ?? '') <= 1024);
    assert.match(event?.note ?? '', /^other-0: expected Denied, observed Connected.*…$/s);
  });

  it('was refused nothing by the shipped RBAC', () => {
    assert.deepEqual(env.cluster.server.rbacReport(OPERATOR_USER).denied, []);
  });
});

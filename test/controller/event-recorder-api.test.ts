/**
 * The event recorder (src/controller) writing through the operator's gateway (src/kube) to the FAKE API
 * server, which validates Events and expires them as kube-apiserver does
 * (test/support/fake-apiserver/event-validation.ts, event-expiry.ts).
 */
import { strict as assert } from 'node:assert';
import type { FlowResult } from '../../src/api/types.js';
import { EventRecorder } from '../../src/controller/event-recorder.js';
import { verdictEvents } from '../../src/controller/verdict-events.js';
import { KubeCluster } from '../../src/kube/index.js';
import { FakeApiServer } from '../support/fake-apiserver/index.js';
import * as k8s from '../support/fake-apiserver/kube-client.js';

/** A diagnosis as the operator writes it for an open flow expected Denied: it holds an em dash. */
const OPEN_FLOW =
  'expected Denied, observed Connected: the NetworkPolicies allow it (direction left open: neither the ' +
  'source is isolated for egress nor the destination for ingress — no policy applies to this flow at all)';

function drifted(flow: string): FlowResult {
  return {
    flow,
    expected: 'Denied',
    outcome: 'Connected',
    detail: 'tcp-open',
    verdict: 'Fail',
    predicted: 'Allowed',
    diagnosis: OPEN_FLOW,
  };
}

const regarding = {
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  namespace: 'prod',
  name: 'baseline',
  uid: 'u1',
};

describe('events written to the FAKE API server', () => {
  let server: FakeApiServer;
  let cluster: KubeCluster;
  let events: k8s.EventsV1Api;
  let recorder: EventRecorder;
  let apiErrors: string[];

  beforeEach(async () => {
    server = await FakeApiServer.start({ namespaces: ['prod'] });
    const kc = new k8s.KubeConfig();
    kc.loadFromString(server.kubeconfig());
    events = kc.makeApiClient(k8s.EventsV1Api);
    apiErrors = [];
    cluster = new KubeCluster(kc, { kinds: [], onApiError: (verb) => apiErrors.push(verb) });
    recorder = new EventRecorder(cluster, 'operator-0');
  });
  afterEach(async () => {
    await cluster.stopCaches();
    await server.stop();
  });

  const stored = async () => (await events.listNamespacedEvent({ namespace: 'prod' })).items;

  // kube-apiserver counts the note's 1024-byte limit in UTF-8 (pkg/apis/core/validation/events.go).
  it('announces a drift of many flows whose diagnoses hold multi-byte characters', async () => {
    const results = Array.from({ length: 12 }, (_, i) => drifted(`flow-${i}`));
    const [intent] = verdictEvents(undefined, results);
    assert.ok(intent && Buffer.byteLength(intent.note) > 1024, 'the note must be too long to start with');
    await recorder.record(regarding, intent);
    assert.deepEqual(apiErrors, []);
    const [event, ...more] = await stored();
    assert.equal(more.length, 0);
    assert.equal(event?.reason, 'DriftDetected');
    assert.ok(Buffer.byteLength(event.note ?? '') <= 1024);
    assert.match(event.note ?? '', /^flow-0: expected Denied, observed Connected.*…$/s);
  });

  // --event-ttl (1 h by default; kubernetes/kubernetes#124836): the series patch of an expired Event gets 404.
  it('creates an Event anew on its next occurrence once the API server has expired it', async () => {
    const intent = { type: 'Warning' as const, reason: 'DriftDetected' as const, note: 'flow-0: drifted' };
    await recorder.record(regarding, intent);
    await recorder.record(regarding, intent);
    assert.equal(server.expireEvents('prod').length, 1);
    assert.deepEqual(await stored(), []);
    await recorder.record(regarding, intent);
    const [event] = await stored();
    assert.equal(event?.note, 'flow-0: drifted');
    assert.equal(event.series?.count, 3);
  });

  // Events are best-effort (client-go's recorders never fail their caller): a refused write is counted as
  // an API error and the caller goes on; the next occurrence tries again.
  it('does not reject when the API server refuses the write, and counts it as an API error', async () => {
    server.faults.failNext({ verb: 'create', group: 'events.k8s.io', resource: 'events' });
    const intent = { type: 'Warning' as const, reason: 'ProbeErrors' as const, note: 'flow-0: no pod' };
    await recorder.record(regarding, intent);
    assert.deepEqual(apiErrors, ['create']);
    await recorder.record(regarding, intent);
    assert.equal((await stored()).length, 1);
  });
});

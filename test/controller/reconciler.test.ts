import { strict as assert } from 'node:assert';
import type { ConnectivityTestStatus, Flow, FlowResult, Verdict } from '../../src/api/types.js';
import { clusterReconcilerPorts } from '../../src/controller/cluster-ports.js';
import type { PortsInput } from '../../src/controller/reconciler-ports.js';
import { EventRecorder } from '../../src/controller/event-recorder.js';
import { ReconcileError } from '../../src/controller/reconcile-error.js';
import { Reconciler, type ReconcilerPorts } from '../../src/controller/reconciler.js';
import type { EventIntent } from '../../src/controller/verdict-events.js';
import type { TestObject } from '../../src/kube/objects.js';

const flow: Flow = {
  name: 'a',
  from: { labels: { app: 'web' } },
  to: { ip: '10.0.0.1' },
  port: 80,
  expect: 'Allowed',
};

function makeTest(
  over: { generation?: number; interval?: string; status?: ConnectivityTestStatus; flows?: Flow[] } = {},
): TestObject {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: {
      name: 't',
      namespace: 'prod',
      uid: 'u',
      generation: over.generation ?? 1,
      resourceVersion: '10',
    },
    spec: { ...(over.interval ? { interval: over.interval } : {}), flows: over.flows ?? [flow] },
    ...(over.status ? { status: over.status } : {}),
  };
}

function result(verdict: Verdict): FlowResult {
  return {
    flow: 'a',
    expected: 'Allowed',
    outcome: verdict === 'Pass' ? 'Connected' : 'Blocked',
    detail: 'x',
    verdict,
    predicted: 'Allowed',
    diagnosis: 'd',
  };
}

/**
 * FAKE ports: an in-memory object store standing in for the caches and the API server, with the
 * optimistic concurrency the reconciler relies on (a status write with a stale resourceVersion conflicts).
 */
class FakePorts implements ReconcilerPorts {
  retriesIncomplete?: ReconcilerPorts['retriesIncomplete'];
  replanNeeded?: ReconcilerPorts['replanNeeded'];
  stored: TestObject | undefined;
  cached: TestObject | undefined;
  runs: string[] = [];
  writes: ConnectivityTestStatus[] = [];
  events: EventIntent[] = [];
  forgotten: string[] = [];
  verdict: Verdict = 'Pass';
  clock = Date.parse('2026-11-24T10:00:00Z');
  /** Called during a run: lets a test change the object behind the reconciler's back. */
  duringRun: () => void = () => undefined;
  /** What the policies predict now (as the caches would say); undefined: as the results say. */
  policiesSay: FlowResult['predicted'] | undefined;

  constructor(test: TestObject | undefined) {
    this.stored = test;
    this.cached = test;
  }
  cachedTest(): TestObject | undefined {
    return this.cached;
  }
  readTest(): Promise<TestObject | undefined> {
    return Promise.resolve(this.stored && structuredClone(this.stored));
  }
  writeStatus(ref: { resourceVersion: string }, status: ConnectivityTestStatus): Promise<unknown> {
    if (!this.stored) return Promise.reject(Object.assign(new Error('not found'), { notFound: true }));
    if (ref.resourceVersion !== this.stored.metadata.resourceVersion) {
      return Promise.reject(Object.assign(new Error('409'), { conflict: true }));
    }
    this.writes.push(status);
    const rv = String(Number(this.stored.metadata.resourceVersion) + 1);
    this.stored = { ...this.stored, metadata: { ...this.stored.metadata, resourceVersion: rv }, status };
    return Promise.resolve(this.stored);
  }
  runProbes(_test: TestObject, runId: string): Promise<FlowResult[]> {
    this.runs.push(runId);
    this.duringRun();
    return Promise.resolve([result(this.verdict)]);
  }
  repredict(_test: TestObject, results: readonly FlowResult[]): FlowResult[] {
    const now = this.policiesSay;
    return now
      ? results.map((r) => ({ ...r, predicted: now, diagnosis: `policies say ${now}` }))
      : [...results];
  }
  recordEvent(_test: TestObject, intent: EventIntent): Promise<void> {
    this.events.push(intent);
    return Promise.resolve();
  }
  recordedRuns = 0;
  recordRun(): void {
    this.recordedRuns++;
  }
  registerTest(): void {}
  runFailures = 0;
  recordRunFailure(): void {
    this.runFailures++;
  }
  forgetTest(namespace: string, name: string): void {
    this.forgotten.push(`${namespace}/${name}`);
  }
  now(): Date {
    return new Date(this.clock);
  }
}

describe('reconciling a ConnectivityTest', () => {
  it('runs a new test once, writes its status once, and comes back after the interval', async () => {
    const ports = new FakePorts(makeTest({ interval: '5m' }));
    const next = await new Reconciler(ports).reconcile('prod/t');
    assert.equal(ports.runs.length, 1);
    assert.equal(ports.writes.length, 1);
    assert.equal(ports.writes[0]?.observedGeneration, 1);
    assert.deepEqual(ports.writes[0].summary, { flows: 1, passed: 1, failed: 0, errors: 0 });
    assert.deepEqual(next, { requeueAfterMs: 300_000 });
  });

  it('does not probe twice when called again before the cache shows its own status write', async () => {
    const ports = new FakePorts(makeTest({ interval: '5m' }));
    const reconciler = new Reconciler(ports);
    await reconciler.reconcile('prod/t');
    const again = await reconciler.reconcile('prod/t'); // the cache still holds the object without status
    assert.equal(ports.runs.length, 1);
    assert.deepEqual(again, { requeueAfterMs: 300_000 });
  });

  it('runs a test without interval once per spec change', async () => {
    const ports = new FakePorts(makeTest());
    const reconciler = new Reconciler(ports);
    assert.deepEqual(await reconciler.reconcile('prod/t'), {});
    ports.cached = ports.stored;
    await reconciler.reconcile('prod/t');
    assert.equal(ports.runs.length, 1);
    ports.cached = { ...ports.stored!, metadata: { ...ports.stored!.metadata, generation: 2 } };
    ports.stored = ports.cached;
    await reconciler.reconcile('prod/t');
    assert.equal(ports.runs.length, 2);
  });

  it('retries a conflicting status write from a fresh read and loses nothing', async () => {
    const ports = new FakePorts(makeTest());
    ports.duringRun = () => {
      // Someone else (kubectl label, another controller) writes the object meanwhile.
      ports.stored = {
        ...ports.stored!,
        metadata: { ...ports.stored!.metadata, resourceVersion: '11', labels: { team: 'net' } },
      };
    };
    await new Reconciler(ports).reconcile('prod/t');
    assert.equal(ports.writes.length, 1);
    assert.equal(ports.stored?.status?.results?.[0]?.verdict, 'Pass');
    assert.deepEqual(ports.stored.metadata.labels, { team: 'net' });
  });

  it('runs again at once when the spec changed during the run', async () => {
    const ports = new FakePorts(makeTest({ interval: '5m' }));
    ports.duringRun = () => {
      ports.stored = {
        ...ports.stored!,
        metadata: { ...ports.stored!.metadata, resourceVersion: '11', generation: 2 },
      };
    };
    const next = await new Reconciler(ports).reconcile('prod/t');
    assert.equal(ports.writes[0]?.observedGeneration, 1, 'the results say which spec they answer');
    assert.deepEqual(next, { requeueAfterMs: 0 });
  });

  it('marks an invalid spec once, runs no probe, and does not retry', async () => {
    const ports = new FakePorts(makeTest({ flows: [{ ...flow, port: 70000 }] }));
    const reconciler = new Reconciler(ports);
    await assert.rejects(
      reconciler.reconcile('prod/t'),
      (err: unknown) => err instanceof ReconcileError && !err.retryable,
    );
    assert.equal(ports.runs.length, 0);
    assert.equal(ports.writes[0]?.conditions?.find((c) => c.type === 'Ready')?.reason, 'InvalidSpec');
    assert.match(
      ports.writes[0].conditions.find((c) => c.type === 'Ready')?.message ?? '',
      /spec\.flows\[0\]\.port/,
    );
    assert.deepEqual(
      ports.events.map((e) => e.reason),
      ['InvalidSpec'],
    );
    ports.cached = ports.stored;
    await assert.rejects(reconciler.reconcile('prod/t'));
    assert.equal(ports.writes.length, 1, 'an already-marked spec is not written again');
  });

  it('raises a drift event when a flow fails', async () => {
    const ports = new FakePorts(makeTest());
    ports.verdict = 'Fail';
    await new Reconciler(ports).reconcile('prod/t');
    assert.deepEqual(
      ports.events.map((e) => e.reason),
      ['DriftDetected'],
    );
  });

  // Events are best-effort, as client-go's recorders: a failed event write must not fail the reconcile (the
  // work queue would retry it with backoff) nor cost the run its metrics.
  it('neither fails nor requeues a run whose event cannot be written, and records its metrics', async () => {
    const ports = new FakePorts(makeTest());
    ports.verdict = 'Fail';
    const refused = () => Promise.reject(Object.assign(new Error('injected 500'), { retryable: true }));
    const recorder = new EventRecorder({ createEvent: refused, patchEvent: refused }, 'operator-0');
    const ref = {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ConnectivityTest',
      namespace: 'prod',
      name: 't',
      uid: 'u',
    };
    ports.recordEvent = (_test, intent) => recorder.record(ref, intent);
    const next = await new Reconciler(ports).reconcile('prod/t');
    assert.deepEqual(next, {});
    assert.equal(ports.writes.length, 1);
    assert.equal(ports.recordedRuns, 1);
  });

  it('comes back, with growing delays, while flows could not be planned, even without interval', async () => {
    const ports = new FakePorts(makeTest());
    const reconciler = new Reconciler(ports);
    ports.runProbes = (_t, runId) => {
      ports.runs.push(runId);
      return Promise.resolve([{ ...result('Error'), detail: 'not-planned' }]);
    };
    assert.deepEqual(await reconciler.reconcile('prod/t'), { requeueAfterMs: 10_000 });
    ports.cached = ports.stored;
    assert.deepEqual(await reconciler.reconcile('prod/t'), { requeueAfterMs: 10_000 }, 'not before its time');
    ports.clock += 10_000;
    assert.deepEqual(await reconciler.reconcile('prod/t'), { requeueAfterMs: 20_000 });
    assert.equal(ports.runs.length, 2);
    ports.runProbes = (_t, runId) => {
      ports.runs.push(runId);
      return Promise.resolve([result('Pass')]);
    };
    ports.clock += 20_000;
    assert.deepEqual(
      await reconciler.reconcile('prod/t'),
      {},
      'once every flow is planned, once per spec change again',
    );
    assert.equal(ports.runs.length, 3);
  });

  // A ClusterConnectivityTest's identity that cannot be placed in some namespace is normal (README); a retry
  // would re-probe up to 100 namespaces every few minutes for ever, whatever its interval says.
  it('runs a ClusterConnectivityTest with a namespace lacking its source only at its interval, but retries a refused probe pod', async () => {
    const cluster = clusterReconcilerPorts({ runDeps: {} } as unknown as PortsInput);
    const absent = { ...result('Error'), detail: 'not-planned', namespace: 'tenant-x' };
    for (const [interval, after] of [
      [undefined, {}],
      ['1h', { requeueAfterMs: 3_600_000 }],
    ] as const) {
      const ports = new FakePorts(makeTest(interval ? { interval } : {}));
      ports.retriesIncomplete = cluster.retriesIncomplete;
      ports.runProbes = (_t, runId) => {
        ports.runs.push(runId);
        return Promise.resolve([result('Pass'), absent]);
      };
      const reconciler = new Reconciler(ports);
      assert.deepEqual(await reconciler.reconcile('prod/t'), after);
      ports.cached = ports.stored;
      ports.clock += 10 * 60_000;
      await reconciler.reconcile('prod/t');
      assert.equal(ports.runs.length, 1, `interval ${interval}: no retry`);
      assert.equal(ports.writes[0]?.summary?.errors, 1, 'still an Error result in that namespace');
    }
    const ports = new FakePorts(makeTest({ interval: '1h' }));
    ports.retriesIncomplete = cluster.retriesIncomplete;
    ports.runProbes = () => Promise.resolve([{ ...result('Error'), detail: 'pod-rejected', namespace: 'x' }]);
    assert.deepEqual(await new Reconciler(ports).reconcile('prod/t'), { requeueAfterMs: 10_000 });
  });

  // Namespace churn (labels flapping, namespaces created in a loop) must not start a run per change.
  it('re-plans a ClusterConnectivityTest at most once per 30 s (no interval is shorter), also without interval', async () => {
    const spacing = 30_000;
    for (const interval of [undefined, '1h', '30s'] as const) {
      const ports = new FakePorts(makeTest(interval ? { interval } : {}));
      const reconciler = new Reconciler(ports);
      await reconciler.reconcile('prod/t');
      ports.cached = ports.stored;
      ports.replanNeeded = () => true;
      ports.clock += 1_000;
      const held = await reconciler.reconcile('prod/t');
      assert.equal(ports.runs.length, 1, `interval ${interval}: not at once after the last run`);
      assert.deepEqual(held, { requeueAfterMs: spacing - 1_000 });
      ports.clock += spacing - 1_000;
      await reconciler.reconcile('prod/t');
      assert.equal(ports.runs.length, 2, `interval ${interval}: once the spacing has passed`);
    }
  });

  it('between runs, follows a policy change in predicted and diagnosis without probing again', async () => {
    const ports = new FakePorts(makeTest({ interval: '5m' }));
    const reconciler = new Reconciler(ports);
    await reconciler.reconcile('prod/t');
    const afterRun = ports.stored!.status!;
    ports.cached = ports.stored;
    ports.policiesSay = 'Denied'; // a policy was applied after the run
    assert.deepEqual(await reconciler.reconcile('prod/t'), { requeueAfterMs: 300_000 });
    assert.equal(ports.runs.length, 1, 'no new run');
    assert.equal(ports.writes.length, 2);
    const refreshed = ports.stored!.status!;
    assert.deepEqual(
      refreshed.results?.map((r) => [r.predicted, r.diagnosis, r.verdict, r.outcome]),
      [['Denied', 'policies say Denied', 'Pass', 'Connected']],
    );
    assert.deepEqual(
      [refreshed.lastRunTime, refreshed.runId, refreshed.conditions, refreshed.summary],
      [afterRun.lastRunTime, afterRun.runId, afterRun.conditions, afterRun.summary],
    );
    ports.cached = ports.stored;
    await reconciler.reconcile('prod/t');
    assert.equal(ports.writes.length, 2, 'nothing changed: nothing written');
  });

  it('says why a run could not complete: Ready False with the reason, a Warning event, a count, and a retry', async () => {
    const ports = new FakePorts(makeTest({ interval: '5m' }));
    const reconciler = new Reconciler(ports);
    await reconciler.reconcile('prod/t');
    ports.cached = ports.stored;
    ports.clock += 300_000;
    ports.runProbes = () => Promise.reject(new Error('create pods: 503 the server is shutting down'));
    await assert.rejects(
      reconciler.reconcile('prod/t'),
      (err: unknown) => err instanceof ReconcileError && err.retryable,
    );
    const ready = ports.stored?.status?.conditions?.find((c) => c.type === 'Ready');
    assert.equal(ready?.status, 'False');
    assert.equal(ready.reason, 'RunFailed');
    assert.match(ready.message, /the run could not complete: create pods: 503 the server is shutting down/);
    assert.equal(ports.stored?.status?.results?.[0]?.verdict, 'Pass', 'the last results stay');
    assert.equal(ports.stored.status.observedGeneration, 1);
    assert.deepEqual(
      ports.events.map((e) => [e.type, e.reason]),
      [['Warning', 'RunFailed']],
    );
    assert.equal(ports.runFailures, 1);
  });

  it('treats a test deleted before its status was written as gone, not as a failure', async () => {
    const ports = new FakePorts(makeTest());
    ports.duringRun = () => {
      ports.stored = undefined;
    };
    assert.deepEqual(await new Reconciler(ports).reconcile('prod/t'), {});
    assert.deepEqual(ports.events, []);
  });

  it('shows a suspended test as Suspended, once, and clears it on the next run after resuming', async () => {
    const ports = new FakePorts({ ...makeTest(), spec: { suspend: true, flows: [flow] } });
    const reconciler = new Reconciler(ports);
    assert.deepEqual(await reconciler.reconcile('prod/t'), {});
    ports.cached = ports.stored;
    await reconciler.reconcile('prod/t');
    assert.equal(ports.runs.length, 0);
    assert.equal(ports.writes.length, 1);
    const suspended = ports.writes[0]?.conditions?.find((c) => c.type === 'Suspended');
    assert.deepEqual([suspended?.status, suspended?.reason], ['True', 'Suspended']);
    ports.stored = {
      ...ports.stored!,
      spec: { flows: [flow] },
      metadata: { ...ports.stored!.metadata, generation: 2 },
    };
    ports.cached = ports.stored;
    await reconciler.reconcile('prod/t');
    assert.equal(ports.runs.length, 1);
    const after = ports.stored.status?.conditions?.find((c) => c.type === 'Suspended');
    assert.deepEqual([after?.status, after?.reason], ['False', 'Resumed']);
  });

  it('forgets a deleted test and runs nothing', async () => {
    const ports = new FakePorts(undefined);
    assert.deepEqual(await new Reconciler(ports).reconcile('prod/t'), {});
    assert.deepEqual(ports.forgotten, ['prod/t']);
    assert.equal(ports.runs.length, 0);
  });
});

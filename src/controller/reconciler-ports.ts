// Connects the reconciler to the cluster gateway, the probe run, events and metrics.
import type { FlowResult } from '../api/types.js';
import { API_VERSION, KIND } from '../api/types.js';
import type { KubeCluster, TestObject } from '../kube/index.js';
import type { Logger } from '../log/logger.js';
import type { FlowprobeMetrics } from '../metrics/index.js';
import { Predictor, repredict, runTest, type RunDeps } from '../run/index.js';
import type { EventRecorder } from './event-recorder.js';
import type { ReconcilerPorts } from './reconciler.js';

export interface PortsInput {
  cluster: KubeCluster;
  runDeps: RunDeps;
  image: string;
  recorder: EventRecorder;
  metrics: FlowprobeMetrics;
  logger: Logger;
  /** Run ids in flight in this process: the reaper leaves their pods alone. */
  inFlight: Set<string>;
}

export function reconcilerPorts(input: PortsInput): ReconcilerPorts {
  const { cluster, metrics } = input;
  const predictor = input.runDeps.predictor ?? new Predictor();
  const ref = (t: TestObject) => ({ namespace: t.metadata.namespace ?? '', test: t.metadata.name });
  return {
    cachedTest: (namespace, name) => cluster.tests.get(name, namespace),
    readTest: (namespace, name) => cluster.getTest(namespace, name),
    writeStatus: (test, status) => cluster.patchTestStatus(test, status),
    runProbes: (test, runId) => runProbes(input, test, runId),
    repredict: (test, results) => repredict(predictor, test, results, cluster.cached()),
    recordEvent: (test, intent) =>
      input.recorder.record(
        {
          apiVersion: API_VERSION,
          kind: KIND,
          namespace: test.metadata.namespace ?? '',
          name: test.metadata.name,
          uid: test.metadata.uid ?? '',
        },
        intent,
      ),
    recordRun: (test, results, previous, intervalSeconds) => {
      metrics.recordRun(ref(test), results, {
        finishedAt: new Date(),
        ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
        ...(previous ? { previousResults: previous } : {}),
      });
    },
    registerTest: (test, intervalSeconds) => {
      const last = test.status?.lastRunTime;
      const created = test.metadata.creationTimestamp;
      metrics.registerTest(ref(test), {
        ...(intervalSeconds === undefined ? {} : { intervalSeconds }),
        ...(last ? { lastRunAt: new Date(last) } : {}),
        ...(created ? { createdAt: new Date(created) } : {}),
      });
    },
    recordRunFailure: (test) => {
      metrics.recordRunFailure(ref(test), new Date());
    },
    forgetTest: (namespace, test) => {
      metrics.forgetTest({ namespace, test });
    },
    now: () => new Date(),
  };
}

async function runProbes(input: PortsInput, test: TestObject, runId: string): Promise<FlowResult[]> {
  const log = input.logger.child({ namespace: test.metadata.namespace, name: test.metadata.name, runId });
  input.inFlight.add(runId);
  const started = Date.now();
  log.info('run started', { flows: test.spec.flows.length });
  try {
    const cluster = () => input.cluster.cached();
    const testRef = { namespace: test.metadata.namespace ?? '', test: test.metadata.name };
    const deps: RunDeps = {
      ...input.runDeps,
      onPodFailure: (detail) => {
        // A test deleted mid-run takes its pods with it (garbage collection): expected, not a failure.
        if (!input.cluster.tests.get(testRef.test, testRef.namespace)) {
          log.info('probe pod gone with its deleted test', { detail });
          return;
        }
        input.metrics.countProbeError(testRef);
        log.warn('probe pod failed', { detail });
      },
    };
    const results = await runTest(deps, { test, runId, cluster, image: input.image });
    log.info('run finished', {
      durationMs: Date.now() - started,
      verdicts: Object.fromEntries(
        ['Pass', 'Fail', 'Flaky', 'Error'].map((v) => [v, results.filter((r) => r.verdict === v).length]),
      ),
    });
    return results;
  } finally {
    input.inFlight.delete(runId);
  }
}

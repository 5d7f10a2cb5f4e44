// Reconciles one ConnectivityTest (level-triggered): reads the world from the caches, decides whether a run
// is due, runs it, writes the status once, records events and metrics, and says when to come back. It
// never sleeps, and it is safe to call again at any time: a run that is not due is not started.
import { randomBytes } from 'node:crypto';
import { intervalSeconds } from '../api/duration.js';
import { withDefaults } from '../api/defaults.js';
import type { ConnectivityTestSpec, ConnectivityTestStatus, FlowResult } from '../api/types.js';
import { validateConnectivityTest, type Problem } from '../api/validate.js';
import type { Meta, TestObject, WireObject } from '../kube/objects.js';
import {
  ConditionType,
  statusAfterRun,
  statusForFailedRun,
  statusForInvalidSpec,
  statusForSuspension,
  Reason,
} from '../verdict/index.js';
import { POD_REJECTED, NOT_PLANNED } from '../run/index.js';
import { ReconcileError } from './reconcile-error.js';
import { nextRunIn } from './schedule.js';
import { invalidSpecEvent, runFailedEvent, verdictEvents, type EventIntent } from './verdict-events.js';
import type { ReconcileResult } from './workers.js';

/** What the reconciler reads of a test: a ConnectivityTest, or a ClusterConnectivityTest (cluster-ports.ts). */
export type ReconciledTest = WireObject & {
  metadata: Meta;
  spec: ConnectivityTestSpec;
  status?: ConnectivityTestStatus;
};

export interface ReconcilerPorts<T extends ReconciledTest = TestObject> {
  /** The schema and rules the spec must pass; default the ConnectivityTest's. */
  validate?: (obj: unknown) => Problem[];
  /**
   * True when the test must run again now although its schedule says not yet: a ClusterConnectivityTest
   * whose selector now matches other namespaces than its last run probed.
   */
  replanNeeded?: (test: T) => boolean;
  /**
   * True when the run's results call for the incomplete-run retry (default: some flow was not planned or
   * its probe pod refused). A ClusterConnectivityTest leaves unplanned flows out: an identity that cannot be
   * placed in some namespace is normal there, and retrying would re-probe every namespace for ever.
   */
  retriesIncomplete?: (results: readonly FlowResult[]) => boolean;
  /** The cached test, or undefined when it is gone. */
  cachedTest(namespace: string, name: string): T | undefined;
  /** A fresh read after a conflict. */
  readTest(namespace: string, name: string): Promise<T | undefined>;
  /** Rejects with `{ conflict: true }` when resourceVersion is stale. */
  writeStatus(
    test: { namespace: string; name: string; resourceVersion: string },
    status: ConnectivityTestStatus,
  ): Promise<unknown>;
  runProbes(test: T, runId: string): Promise<FlowResult[]>;
  /** The stored results with `predicted` and `diagnosis` from the caches as they are now. */
  repredict(test: T, results: readonly FlowResult[]): FlowResult[];
  /** Best-effort, as client-go's event recorders: never rejects (a failed write is logged and counted). */
  recordEvent(test: T, intent: EventIntent): Promise<void>;
  /** Metrics hooks: a run finished; a test is known (with its schedule); a test is gone. */
  recordRun(
    test: T,
    results: FlowResult[],
    previous: readonly FlowResult[] | undefined,
    intervalSeconds: number | undefined,
  ): void;
  registerTest(test: T, intervalSeconds: number | undefined): void;
  /** A run that could not complete (the metrics' last attempt and failure count). */
  recordRunFailure(test: T): void;
  forgetTest(namespace: string, name: string): void;
  now(): Date;
}

const MAX_STATUS_ATTEMPTS = 5;
/**
 * A run that could not plan some flows (their source or target pod not running yet — the usual case when
 * workloads and tests are applied together), or whose probe pod the API server refused (a service account
 * not created yet), is retried after this, doubling up to the cap, even for a
 * test without interval: otherwise those flows would stay Errors until the spec changed.
 */
const INCOMPLETE_RETRY_MS = 10_000;
const INCOMPLETE_RETRY_MAX_MS = 5 * 60_000;
/** A ClusterConnectivityTest's re-plan (its namespaces changed) runs at most this often after a run. */
const REPLAN_SPACING_MS = 30_000;

/** Some flow could not be planned yet, or its probe pod was refused: worth a retry before the interval. */
export function incompleteRun(results: readonly FlowResult[]): boolean {
  return results.some((r) => r.detail === NOT_PLANNED || r.detail === POD_REJECTED);
}

export class Reconciler<T extends ReconciledTest = TestObject> {
  /**
   * The last run this process wrote, per key. The cache learns of our own status write only when its
   * watch event arrives; a reconcile in between must not take the stale status for "never run" and probe
   * twice.
   */
  private readonly lastWritten = new Map<string, { generation: number; time: string }>();
  /** Keys whose last run left flows unplanned, with how many such runs came in a row. */
  private readonly incomplete = new Map<string, { generation: number; runs: number }>();

  constructor(private readonly ports: ReconcilerPorts<T>) {}

  async reconcile(key: string): Promise<ReconcileResult> {
    const [namespace = '', name = ''] = key.split('/');
    const test = this.ports.cachedTest(namespace, name);
    if (!test || test.metadata.deletionTimestamp) {
      this.lastWritten.delete(key);
      this.incomplete.delete(key);
      this.ports.forgetTest(namespace, name);
      return {};
    }
    const problems = (this.ports.validate ?? validateConnectivityTest)(test);
    if (problems.length > 0)
      return this.markInvalid(
        test,
        problems.map((p) => `${p.path}: ${p.message}`),
      );
    const spec = withDefaults(test.spec);
    const interval = spec.interval ? intervalSeconds(spec.interval) : undefined;
    this.ports.registerTest(test, spec.suspend ? undefined : interval);
    if (spec.suspend) return this.markSuspended(test);
    const dueIn = nextRunIn({
      generation: test.metadata.generation ?? 1,
      status: this.freshest(key, test.status),
      intervalMs: interval === undefined ? undefined : interval * 1000,
      suspended: false,
      now: this.ports.now().getTime(),
    });
    const retryIn = this.incompleteRetryIn(key, test.metadata.generation ?? 1);
    const replanIn = this.ports.replanNeeded?.(test) ? this.replanIn(key, test) : undefined;
    const next = [dueIn, retryIn, replanIn].reduce<number | undefined>(
      (a, b) => (b === undefined ? a : Math.min(a ?? b, b)),
      undefined,
    );
    if (next !== undefined && next <= 0) return this.run(key, test, interval);
    await this.refreshPredictions(test);
    return next === undefined ? {} : { requeueAfterMs: next };
  }

  /**
   * Between runs, keeps `predicted` and `diagnosis` in step with the policies (a policy applied after the
   * test's run, or changed since) without probing again: outcomes, verdicts, conditions, lastRunTime and
   * runId stay as the run left them, and the status is written only when a prediction changed.
   */
  private async refreshPredictions(test: T): Promise<void> {
    const status = test.status;
    if (!status?.results || status.observedGeneration !== (test.metadata.generation ?? 1)) return;
    const refreshed = this.ports.repredict(test, status.results);
    if (JSON.stringify(refreshed) === JSON.stringify(status.results)) return;
    await this.writeStatus(test, (current) => {
      const results = current.status?.results;
      return { ...current.status, ...(results ? { results: this.ports.repredict(current, results) } : {}) };
    });
  }

  private freshest(
    key: string,
    status: ConnectivityTestStatus | undefined,
  ): ConnectivityTestStatus | undefined {
    const mine = this.lastWritten.get(key);
    if (!mine) return status;
    const cachedTime = status?.lastRunTime ? Date.parse(status.lastRunTime) : 0;
    const newer = status?.observedGeneration !== mine.generation || Date.parse(mine.time) > cachedTime;
    return newer ? { ...status, observedGeneration: mine.generation, lastRunTime: mine.time } : status;
  }

  private async run(key: string, test: T, interval: number | undefined): Promise<ReconcileResult> {
    const generation = test.metadata.generation ?? 1;
    const runId = `${generation}-${randomBytes(4).toString('hex')}`;
    let results: FlowResult[];
    try {
      results = await this.ports.runProbes(test, runId);
    } catch (err) {
      return this.markRunFailed(test, generation, err);
    }
    const previous = test.status?.results;
    const time = this.ports.now().toISOString();
    const written = await this.writeStatus(test, (current) => {
      const status = statusAfterRun(current.status, { generation, runId, time, results });
      const wasSuspended = status.conditions?.some((c) => c.type === ConditionType.Suspended);
      return wasSuspended ? statusForSuspension(status, generation, false, time) : status;
    });
    if (!written) return {};
    this.lastWritten.set(key, { generation, time });
    const unplanned = (this.ports.retriesIncomplete ?? incompleteRun)(results);
    if (unplanned) this.incomplete.set(key, { generation, runs: (this.incomplete.get(key)?.runs ?? 0) + 1 });
    else this.incomplete.delete(key);
    this.ports.recordRun(test, results, previous, interval);
    for (const intent of verdictEvents(previous, results)) await this.ports.recordEvent(test, intent);
    // The spec changed during the run: these results answer the old one, so run again at once.
    if ((written.metadata.generation ?? 1) !== generation) return { requeueAfterMs: 0 };
    const retryIn = this.incompleteRetryIn(key, generation);
    const intervalMs = interval === undefined ? undefined : interval * 1000;
    const next = retryIn === undefined ? intervalMs : Math.min(intervalMs ?? retryIn, retryIn);
    return next === undefined ? {} : { requeueAfterMs: next };
  }

  /**
   * Milliseconds until a re-plan may run: REPLAN_SPACING_MS after the last run, so that namespace churn
   * coalesces into one run instead of a run per change. (No interval is shorter: the schema's minimum is 30s.)
   */
  private replanIn(key: string, test: T): number {
    const last = this.freshest(key, test.status)?.lastRunTime;
    const at = last === undefined ? 0 : Date.parse(last) + REPLAN_SPACING_MS;
    return Math.max(0, at - this.ports.now().getTime());
  }

  /** Milliseconds until an incomplete run is retried; undefined when the last run planned every flow. */
  private incompleteRetryIn(key: string, generation: number): number | undefined {
    const state = this.incomplete.get(key);
    const last = this.lastWritten.get(key);
    if (!state || !last || state.generation !== generation) return undefined;
    const delay = Math.min(INCOMPLETE_RETRY_MS * 2 ** (state.runs - 1), INCOMPLETE_RETRY_MAX_MS);
    return Math.max(0, Date.parse(last.time) + delay - this.ports.now().getTime());
  }

  private async markInvalid(test: T, problems: string[]): Promise<ReconcileResult> {
    const generation = test.metadata.generation ?? 1;
    const ready = test.status?.conditions?.find((c) => c.type === 'Ready');
    const already = ready?.reason === Reason.InvalidSpec && test.status?.observedGeneration === generation;
    if (!already) {
      const written = await this.writeStatus(test, (current) =>
        statusForInvalidSpec(current.status, generation, problems, this.ports.now().toISOString()),
      );
      if (written) await this.ports.recordEvent(test, invalidSpecEvent(problems));
    }
    // Retrying cannot fix a spec; the next change to the object will bring it back.
    throw new ReconcileError(`invalid spec: ${problems.join('; ')}`, false);
  }

  /**
   * A run that could not complete (the API server refused a probe pod with a retryable error, or did not
   * answer): Ready turns False with the reason, a Warning event says it, the metrics count it, and the work
   * queue retries with backoff — never in silence (DESIGN.md, "Never silent").
   */
  private async markRunFailed(test: T, generation: number, err: unknown): Promise<never> {
    const message = `the run could not complete: ${err instanceof Error ? err.message : String(err)}`;
    this.ports.recordRunFailure(test);
    const ready = test.status?.conditions?.find((c) => c.type === ConditionType.Ready);
    const shown = ready?.reason === Reason.RunFailed && ready.message === message;
    // The status write may fail for the same reason the run did (the API server is gone); the metrics and
    // the log still say it, and the retry tries the status again.
    const written = shown
      ? test
      : await this.writeStatus(test, (current) =>
          statusForFailedRun(current.status, generation, message, this.ports.now().toISOString()),
        ).catch(() => test);
    if (written) await this.ports.recordEvent(test, runFailedEvent(message));
    throw new ReconcileError(message, true, { cause: err });
  }

  /** A suspended test runs nothing; its Suspended condition says so (written once). */
  private async markSuspended(test: T): Promise<ReconcileResult> {
    const generation = test.metadata.generation ?? 1;
    const shown = test.status?.conditions?.some(
      (c) => c.type === ConditionType.Suspended && c.status === 'True' && c.observedGeneration === generation,
    );
    if (!shown)
      await this.writeStatus(test, (current) =>
        statusForSuspension(current.status, generation, true, this.ports.now().toISOString()),
      );
    return {};
  }

  /**
   * Writes the status computed from the latest object, retrying from a fresh read on a conflict, so a
   * concurrent change is never overwritten and our result is never lost. Returns the object written
   * against, or undefined when the test was deleted meanwhile.
   */
  private async writeStatus(
    test: T,
    compute: (current: T) => ConnectivityTestStatus,
  ): Promise<T | undefined> {
    let current: T | undefined = test;
    for (let attempt = 1; current; attempt++) {
      const ref = {
        namespace: current.metadata.namespace ?? '',
        name: current.metadata.name,
        resourceVersion: current.metadata.resourceVersion ?? '',
      };
      try {
        await this.ports.writeStatus(ref, compute(current));
        return current;
      } catch (err) {
        // Deleted meanwhile (a test deleted mid-run): nothing to write to, and nothing went wrong.
        if ((err as { notFound?: boolean }).notFound) return undefined;
        if (!(err as { conflict?: boolean }).conflict || attempt >= MAX_STATUS_ATTEMPTS) throw err;
        current = await this.ports.readTest(ref.namespace, ref.name);
      }
    }
    return undefined;
  }
}

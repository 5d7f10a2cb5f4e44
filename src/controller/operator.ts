// `flowprobe operator`: caches, a work queue of ConnectivityTests, workers that reconcile them, leader
// election so that two replicas never probe twice, a reaper for leftover probe pods, metrics and health
// endpoints, and a graceful stop. Everything that decides lives elsewhere; this file only connects.
import pLimit from 'p-limit';
import { ConfigError, type OperatorConfig } from '../config/operator-config.js';
import {
  contextNamespace,
  KubeCluster,
  type KubeConfigOptions,
  loadKubeConfig,
  type WatchedKind,
  type WatchedObject,
} from '../kube/index.js';
import { errorField, type Logger } from '../log/logger.js';
import {
  apiVerb,
  createMetrics,
  createMetricsServer,
  type FlowprobeMetrics,
  type MetricsServer,
} from '../metrics/index.js';
import { PodWaiter, Predictor } from '../run/index.js';
import { systemClock } from './clock.js';
import { testsToRepredict } from './affected-tests.js';
import { coverageByNamespace } from '../coverage/coverage-report.js';
import { CoverageUpdater } from './coverage-updater.js';
import { isProbePod } from '../plan/labels.js';
import { clusterReconcilerPorts, clusterTestInstances } from './cluster-ports.js';
import { EventRecorder } from './event-recorder.js';
import { LeaderElector } from './leader-election.js';
import { stalePods } from './reaper.js';
import { Reconciler } from './reconciler.js';
import { reconcilerPorts, type PortsInput } from './reconciler-ports.js';
import { WorkQueue } from './work-queue.js';
import { runWorkers } from './workers.js';

const REAP_EVERY_MS = 60_000;
/** How long a stop waits for runs in flight (their pods are deleted as each finishes). */
const DRAIN_MS = 30_000;

export class Operator {
  readonly metrics: FlowprobeMetrics;
  private readonly cluster: KubeCluster;
  private readonly waiter = new PodWaiter();
  private readonly inFlight = new Set<string>();
  /** One snapshot of the cluster per state of the caches, shared by runs and prediction refreshes. */
  private readonly predictor = new Predictor();
  private readonly server: MetricsServer;
  private readonly elector: LeaderElector | undefined;
  private readonly leaseNamespace: string;
  private queue: WorkQueue | undefined;
  private workers: Promise<void> | undefined;
  private reapTimer: NodeJS.Timeout | undefined;
  /** Recomputes the coverage metrics while leading (coverage-updater.ts). */
  private coverage: CoverageUpdater | undefined;

  constructor(
    private readonly config: OperatorConfig,
    private readonly log: Logger,
  ) {
    this.metrics = createMetrics({ processMetrics: true });
    const kc = loadKubeConfig(kubeConfigOptions(config));
    this.cluster = new KubeCluster(kc, {
      onChange: (kind, type, obj) => {
        this.onChange(kind, type, obj);
      },
      onApiError: (verb, err) => {
        this.metrics.countApiError(apiVerb(verb));
        log.warn('api error', { verb, error: errorField(err) });
      },
      onWatchError: (kind, err, retryInMs) =>
        log.warn('watch restarting', { kind, retryInMs, error: errorField(err) }),
      onDiscoveryError: (reason, retryInMs) => log.warn('policy discovery failed', { reason, retryInMs }),
      onClusterTestsServed: (served) => {
        if (served) log.info('ClusterConnectivityTests are served');
        else
          log.warn('ClusterConnectivityTests are not served (their CRD is not installed); retrying', {
            crd: 'crds/clusterconnectivitytests.flowprobe.dev.yaml',
          });
      },
    });
    this.server = createMetricsServer({
      registry: this.metrics.registry,
      // Not ready while any cache cannot list or watch (the API server is gone, or refuses us): the
      // operator would act on a stale picture of the cluster.
      readiness: () => {
        if (this.cluster.connected) return { ready: true };
        // A refused policy kind is named with its grant: retrying will not fix a missing permission.
        const [refused] = this.cluster.extraPolicies.refusals();
        if (refused !== undefined) return { ready: false, reason: `${refused}; retrying` };
        // Unknown policy kinds make every prediction a guess: name the failed discovery.
        const reason =
          this.cluster.discoveryProblem ??
          (this.cluster.synced ? 'a cache lost its watch' : 'caches not synced yet');
        return { ready: false, reason: `${reason}; retrying` };
      },
      host: config.metricsHost,
      port: config.metricsPort,
    });
    const election = { ...config.leaderElection, namespace: leaseNamespace(config, kc) };
    this.leaseNamespace = election.namespace;
    this.elector = election.enabled
      ? new LeaderElector(
          this.cluster,
          { ...election, leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
          systemClock,
          {
            onStartedLeading: () => {
              this.startWork();
            },
            onStoppedLeading: () => void this.stopWork(),
            onError: (err) => log.warn('leader election', { error: errorField(err) }),
          },
        )
      : undefined;
  }

  /** A Lease in a namespace that does not exist can never be written: say so instead of retrying for ever. */
  private checkLeaseNamespace(): void {
    if (!this.cluster.synced) return; // the API server is unreachable: the elector reports that itself
    if (this.cluster.namespaces.list().some((ns) => ns.metadata.name === this.leaseNamespace)) return;
    throw new ConfigError([
      `the namespace ${JSON.stringify(this.leaseNamespace)} of the leader-election Lease does not exist; ` +
        'create it, pass --lease-namespace NAMESPACE, or --no-leader-elect to run one replica without a Lease',
    ]);
  }

  /** Serves health and metrics, syncs the caches, then campaigns (or works at once without election). */
  async start(): Promise<string> {
    const url = await this.server.listen();
    await this.cluster.startCaches();
    this.log.info('caches started', { synced: this.cluster.synced });
    if (this.elector) this.checkLeaseNamespace();
    if (this.elector) this.elector.start();
    else this.startWork();
    return url;
  }

  /** Stops taking work, lets runs in flight finish and delete their pods, releases the lease. */
  async stop(): Promise<void> {
    await this.stopWork();
    await this.elector?.stop();
    await this.cluster.stopCaches();
    await this.server.close();
  }

  private startWork(): void {
    this.log.info('leading: starting work');
    this.metrics.setLeader(true);
    const queue = new WorkQueue(systemClock);
    this.queue = queue;
    const portsInput: PortsInput = {
      cluster: this.cluster,
      runDeps: {
        api: this.cluster,
        waiter: this.waiter,
        limit: limiter(this.config.maxConcurrentRuns),
        onCleanupError: (err) => this.log.warn('probe pod not deleted', { error: errorField(err) }),
        predictor: this.predictor,
      },
      image: this.config.probeImage,
      recorder: new EventRecorder(this.cluster, this.config.leaderElection.identity, {
        // The API-errors metric has counted the failed call (onApiError above).
        onError: (err) =>
          this.log.warn('event not written', {
            namespace: err.namespace,
            name: err.regarding,
            reason: err.reason,
            error: errorField(err.cause),
          }),
      }),
      metrics: this.metrics,
      logger: this.log,
      inFlight: this.inFlight,
    };
    const reconciler = new Reconciler(reconcilerPorts(portsInput));
    const clusterReconciler = new Reconciler(clusterReconcilerPorts(portsInput));
    // A ClusterConnectivityTest's key has no namespace: `/name`.
    const reconcile = (key: string) =>
      key.startsWith('/') ? clusterReconciler.reconcile(key) : reconciler.reconcile(key);
    this.workers = runWorkers(queue, reconcile, this.config.workers, {
      onError: (key, err, retryInMs) =>
        this.log.warn('reconcile failed', { key, retryInMs, error: errorField(err) }),
      onReconciled: (_key, ms) => {
        this.metrics.observeReconcile(ms / 1000);
        this.metrics.setQueueDepth(queue.depth());
      },
    });
    for (const test of this.cluster.tests.list()) queue.add(keyOf(test));
    this.coverage = new CoverageUpdater(
      systemClock,
      () => {
        // ClusterConnectivityTests count in each namespace they probe, as explain --coverage counts them.
        const tests = [...this.cluster.tests.list(), ...clusterTestInstances(this.cluster)];
        const report = this.predictor.coverage(tests, this.cluster.cached());
        this.metrics.setCoverage(coverageByNamespace(report));
      },
      (err) => this.log.warn('coverage not computed', { error: errorField(err) }),
    );
    this.coverage.due();
    for (const test of this.cluster.clusterTests.list()) queue.add(keyOf(test));
    void this.reap();
    this.reapTimer = setInterval(() => void this.reap(), REAP_EVERY_MS);
    this.reapTimer.unref();
  }

  private async stopWork(): Promise<void> {
    const queue = this.queue;
    if (!queue) return;
    this.log.info('stopping work');
    this.queue = undefined;
    if (this.reapTimer) clearInterval(this.reapTimer);
    this.coverage?.stop();
    this.coverage = undefined;
    queue.shutDown();
    await Promise.race([this.workers, new Promise((r) => setTimeout(r, DRAIN_MS).unref())]);
    this.metrics.setLeader(false);
    this.metrics.forgetAllTests();
    this.metrics.forgetCoverage();
  }

  private onChange(kind: WatchedKind, type: string, obj: WatchedObject): void {
    if (kind === 'ConnectivityTest' || kind === 'ClusterConnectivityTest') this.queue?.add(keyOf(obj));
    else if (kind !== 'Pod' && kind !== 'CustomResourceDefinition' && this.queue) {
      // A change to what predictions read: the tests it may concern look again (without probing).
      const namespace = kind === 'Namespace' ? obj.metadata.name : (obj.metadata.namespace ?? '');
      for (const test of testsToRepredict(kind, namespace, this.cluster.tests.list()))
        this.queue.add(keyOf(test));
      // Cluster tests read every namespace they probe, and namespaces' labels choose which: all look
      // again (a namespace whose labels changed re-plans at once, cluster-ports.ts replanNeeded).
      for (const test of this.cluster.clusterTests.list()) this.queue.add(keyOf(test));
    }
    // Probe pods come and go with every run and are no workload: they change no coverage.
    if (kind !== 'CustomResourceDefinition' && !(kind === 'Pod' && isProbePod(obj.metadata.labels)))
      this.coverage?.due();
    if (kind === 'Pod') {
      if (type === 'delete') this.waiter.forget(obj.metadata.namespace ?? '', obj.metadata.name);
      else this.waiter.observe(obj);
      this.metrics.setProbePodsAlive(this.waiter.alive);
    }
  }

  /**
   * Deletes probe pods of runs not in flight here (left by a crash, a restart or a former leader), and those
   * of `flowprobe run`s past their deadline (the CI job was killed).
   */
  private async reap(): Promise<void> {
    for (const pod of stalePods(this.cluster.pods.list(), this.inFlight, new Date(systemClock.now()))) {
      const where = { namespace: pod.metadata.namespace, name: pod.metadata.name };
      try {
        await this.cluster.deletePod(pod.metadata.namespace ?? '', pod.metadata.name);
        this.log.info('deleted stale probe pod', where);
      } catch (err) {
        this.log.warn('could not delete stale probe pod', { ...where, error: errorField(err) });
      }
    }
  }
}

function keyOf(obj: { metadata: { namespace?: string; name: string } }): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name}`;
}

function limiter(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  const limit = pLimit(n);
  return (fn) => limit(fn);
}

/**
 * Where the Lease lives: the flag (or $POD_NAMESPACE), else the kubeconfig context's namespace (in a cluster,
 * the pod's own). Without either, fail at once naming the flags, as controller-runtime does ("unable to find
 * leader election namespace"), rather than campaign for ever in a namespace that is not there.
 */
function leaseNamespace(config: OperatorConfig, kc: Parameters<typeof contextNamespace>[0]): string {
  const namespace = config.leaderElection.namespace ?? contextNamespace(kc);
  if (namespace !== undefined || !config.leaderElection.enabled) return namespace ?? '';
  throw new ConfigError([
    'leader election needs a namespace for its Lease: no --lease-namespace, no $POD_NAMESPACE, and the ' +
      'kubeconfig context names no namespace; pass --lease-namespace NAMESPACE (it must exist), or ' +
      '--no-leader-elect to run one replica without a Lease',
  ]);
}

function kubeConfigOptions(config: OperatorConfig): KubeConfigOptions {
  return {
    inCluster: config.inCluster,
    ...(config.kubeconfig ? { kubeconfig: config.kubeconfig } : {}),
    ...(config.context ? { context: config.context } : {}),
  };
}

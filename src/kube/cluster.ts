// The operator's one gateway to the API server: list+watch caches of what it reads, and the few writes it
// makes. Nothing else in the code base imports @kubernetes/client-node.
import type { KubeConfig, KubernetesObject } from '@kubernetes/client-node';
import {
  CLUSTER_PLURAL,
  GROUP,
  PLURAL,
  VERSION,
  type ClusterConnectivityTestStatus,
  type ConnectivityTestStatus,
} from '../api/types.js';
import { KubeApiError, toKubeApiError } from './api-error.js';
import { CachedPods, type PodSource } from './cached-pods.js';
import type { CachedPod, CompactPod } from './compact-pod.js';
import { discoverPolicyKinds } from './discovery.js';
import { Interner } from './interner.js';
import { ResilientInformer, type ChangeType } from './informer.js';
import type { ClusterTestObject, LeaseRecord, PodObject, TestObject, WireObject } from './objects.js';
import { listInPages, type ListPage } from './paged-list.js';
import { PolicyCaches } from './policy-caches.js';
import { apiVersionOf, POLICY_GROUPS, type PolicyKind } from './policy-kinds.js';
import { KubeRest, MERGE_PATCH, seg, type Call } from './rest.js';
import { METADATA_LIST, METADATA_OBJECT } from './cache-watch.js';
import { microTime } from './micro-time.js';
import { cachedPod, trimCrd, trimObject, trimPolicy } from './trim.js';

const TESTS = `/apis/${GROUP}/${VERSION}`;
const CORE = '/api/v1';
const EVENTS = '/apis/events.k8s.io/v1';
const LEASES = '/apis/coordination.k8s.io/v1';
const CRDS = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
const NOT_FOUND_IS_AN_ANSWER = true;
/**
 * A CRD carries its whole schema (often 100-500 KB: prometheus-operator, Istio, Crossplane), and a page is
 * read as one string before trimCrd cuts it. The CRD watch asks for metadata only (PartialObjectMetadata),
 * but a CRD applied with client-side `kubectl apply` carries itself again in its last-applied annotation
 * (up to 256 KB): at client-go's 500 a page could still be beyond the capped heap. 25 keeps one near 6 MB.
 */
const CRD_PAGE_SIZE = 25;

/**
 * `ExtraPolicy`: the policy kinds beyond NetworkPolicy that the API server serves where a cluster has them
 * (policy-kinds.ts: ClusterNetworkPolicy, AdminNetworkPolicy, Cilium, Calico, Antrea policies), cached
 * once discovery finds them; `CustomResourceDefinition`: the CRD watch that tells when to look again.
 */
export type WatchedKind =
  | 'ConnectivityTest'
  | 'ClusterConnectivityTest'
  | 'Pod'
  | 'Namespace'
  | 'Service'
  | 'NetworkPolicy'
  | 'ExtraPolicy'
  | 'CustomResourceDefinition';
/** What a cache hands out: wire objects, trimmed, and compact pods (compact-pod.ts). */
export type WatchedObject = WireObject | CompactPod;

export interface ClusterHooks {
  onChange?: (kind: WatchedKind, type: ChangeType, obj: WatchedObject) => void;
  /** Every failed call, by verb (the API-errors metric). */
  onApiError?: (verb: string, err: unknown) => void;
  /** `retryInMs` is undefined when no restart follows (the signal of startCaches has aborted). */
  onWatchError?: (kind: WatchedKind, err: unknown, retryInMs: number | undefined) => void;
  /**
   * The API server does not serve ClusterConnectivityTests (their CRD is not installed: an operator upgraded
   * before its CRDs). Called once per change to that; ConnectivityTests work on.
   */
  onClusterTestsServed?: (served: boolean) => void;
  /** Discovery of the policy kinds failed (which, and why): the cluster is not connected until it works. */
  onDiscoveryError?: (reason: string, retryInMs: number | undefined) => void;
  requestTimeoutMs?: number;
  /**
   * The caches to run; default all. `flowprobe run` leaves out ConnectivityTests (the CRD may be absent).
   * `ExtraPolicy` discovers the served policy kinds at start; with `CustomResourceDefinition` too, a CRD
   * watch looks again whenever a CRD of their groups comes or goes (the operator). Without it (`flowprobe
   * run`, done in minutes) the kinds are discovered once; one whose CRD goes is still dropped on its 404.
   */
  kinds?: readonly WatchedKind[];
}

/** Ends a call early: a run's deadline, Ctrl-C. Every call also has its own timeout. */
export interface CallOptions {
  signal?: AbortSignal;
}

interface CacheLifecycle {
  start(signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
  readonly synced: boolean;
  readonly connected: boolean;
}

export class KubeCluster {
  readonly tests: ResilientInformer<TestObject & KubernetesObject>;
  /** Cluster-scoped tests; an empty, synced cache while their CRD is not installed (retried with back-off). */
  readonly clusterTests: ResilientInformer<ClusterTestObject & KubernetesObject>;
  private clusterTestsServed = true;
  readonly pods: ResilientInformer<CachedPod & KubernetesObject>;
  /** The pod cache by namespace, with what changed since a reader last looked (the Predictor). */
  readonly podSource: CachedPods;
  readonly namespaces: ResilientInformer<WireObject & KubernetesObject>;
  readonly services: ResilientInformer<WireObject & KubernetesObject>;
  readonly policies: ResilientInformer<WireObject & KubernetesObject>;
  /** The served kinds of extra policies, each in its own cache, started and stopped as they come and go. */
  readonly extraPolicies: PolicyCaches;
  private readonly crds: ResilientInformer<WireObject & KubernetesObject>;
  /** CRD events start discoveries only once the first discovery has begun (after the CRD list). */
  private crdEventsCount = false;
  private readonly rest: KubeRest;
  /** Label sets, ports and names the cached pods share. */
  private readonly interner = new Interner();

  constructor(
    kc: KubeConfig,
    private readonly hooks: ClusterHooks = {},
  ) {
    this.rest = new KubeRest(kc, hooks.requestTimeoutMs ?? 30_000);
    this.tests = this.informer(kc, 'ConnectivityTest', `${TESTS}/${PLURAL}`);
    this.clusterTests = this.informer(kc, 'ClusterConnectivityTest', `${TESTS}/${CLUSTER_PLURAL}`, {
      resource: CLUSTER_PLURAL,
      goneOnNotFound: (err) => this.clusterTestsAnswered(err),
    });
    this.pods = this.informer(kc, 'Pod', `${CORE}/pods`);
    this.podSource = new CachedPods(this.pods);
    this.namespaces = this.informer(kc, 'Namespace', `${CORE}/namespaces`);
    this.services = this.informer(kc, 'Service', `${CORE}/services`);
    this.policies = this.informer(kc, 'NetworkPolicy', '/apis/networking.k8s.io/v1/networkpolicies');
    this.crds = this.informer(kc, 'CustomResourceDefinition', CRDS, {
      trim: trimCrd,
      forward: false,
      pageSize: CRD_PAGE_SIZE,
      metadataOnly: true,
    });
    this.extraPolicies = new PolicyCaches({
      discover: (signal) => discoverPolicyKinds((path) => this.discoveryDoc(path, signal)),
      makeCache: (kind) => this.policyInformer(kc, kind),
      onGone: (obj) => this.hooks.onChange?.('ExtraPolicy', 'delete', obj),
      onProblem: (reason, retryInMs) => this.hooks.onDiscoveryError?.(reason, retryInMs),
    });
  }

  private wanted(kind: WatchedKind): boolean {
    return !this.hooks.kinds || this.hooks.kinds.includes(kind);
  }

  private get all(): CacheLifecycle[] {
    const byKind: [WatchedKind, CacheLifecycle][] = [
      ['ConnectivityTest', this.tests],
      ['ClusterConnectivityTest', this.clusterTestCache],
      ['Pod', this.pods],
      ['Namespace', this.namespaces],
      ['Service', this.services],
      ['NetworkPolicy', this.policies],
    ];
    const all = byKind.filter(([kind]) => this.wanted(kind)).map(([, informer]) => informer);
    if (!this.wanted('ExtraPolicy')) return all;
    return this.followsCrds ? [...all, this.crds, this.extraPolicies] : [...all, this.extraPolicies];
  }

  /**
   * The cluster tests' cache as readiness sees it: a 404 (their CRD not installed) is an answer, "there are
   * none", so the cache counts as synced and connected while it keeps asking with back-off.
   */
  private get clusterTestCache(): CacheLifecycle {
    const cache = this.clusterTests;
    const absent = () => !this.clusterTestsServed;
    return {
      start: (signal) => cache.start(signal),
      stop: () => cache.stop(),
      get synced() {
        return cache.synced || absent();
      },
      get connected() {
        return cache.connected || absent();
      },
    };
  }

  /** Takes every failure of the cluster tests' cache; true for a 404 (reported once, not as an error). */
  private clusterTestsAnswered(err: unknown): boolean {
    const served = (err as { notFound?: boolean }).notFound !== true;
    if (served !== this.clusterTestsServed) this.hooks.onClusterTestsServed?.(served);
    this.clusterTestsServed = served;
    return !served;
  }

  /** Whether a CRD watch re-discovers the extra policy kinds (see ClusterHooks.kinds). */
  private get followsCrds(): boolean {
    return this.wanted('ExtraPolicy') && this.wanted('CustomResourceDefinition');
  }

  /**
   * Lists and starts watching; with a signal, the lists end when it aborts (then `synced` stays false).
   * The extra policy kinds are discovered once the CRD list is in: a CRD created after that list arrives
   * through the CRD watch and starts another discovery, so no kind is missed between the two.
   */
  async startCaches(signal?: AbortSignal): Promise<void> {
    const extra = async () => {
      if (this.followsCrds) {
        await this.crds.start(signal);
        this.crdEventsCount = true;
      }
      await this.extraPolicies.start(signal);
    };
    const core = this.all.filter((c) => c !== this.crds && c !== this.extraPolicies);
    await Promise.all([
      ...core.map((i) => i.start(signal)),
      ...(this.wanted('ExtraPolicy') ? [extra()] : []),
    ]);
  }

  /** The API server's URL, for messages. */
  get server(): string {
    return this.rest.server;
  }

  /** True once every cache has listed at least once. */
  get synced(): boolean {
    return this.all.every((i) => i.synced);
  }

  /** Synced, and no cache's latest list or watch failed: what readiness reports. */
  get connected(): boolean {
    return this.all.every((i) => i.connected);
  }

  /** Which discovery of the policy kinds failed, while that keeps the cluster from being synced. */
  get discoveryProblem(): string | undefined {
    return this.wanted('ExtraPolicy') ? this.extraPolicies.problem : undefined;
  }

  /** Stops the caches and closes the kept connections (a later call would open new ones). */
  async stopCaches(): Promise<void> {
    this.crdEventsCount = false;
    await Promise.all(this.all.map((i) => i.stop()));
    await this.rest.close();
  }

  /** What the caches hold now: the objects a prediction reads, and every pod. */
  cached(): {
    namespaces: readonly WireObject[];
    pods: PodSource;
    services: readonly WireObject[];
    policies: readonly WireObject[];
    extraPolicies: readonly WireObject[];
  } {
    return {
      namespaces: this.namespaces.list(),
      pods: this.podSource,
      services: this.services.list(),
      policies: this.policies.list(),
      extraPolicies: this.extraPolicies.list(),
    };
  }

  createPod(namespace: string, body: object, options: CallOptions = {}): Promise<PodObject> {
    const path = `${CORE}/namespaces/${seg(namespace)}/pods`;
    return this.json<PodObject>({ verb: 'create', resource: 'pods', method: 'POST', path, body, ...options });
  }

  /** Deletes a pod now (grace period 0); a pod already gone is not an error. */
  async deletePod(namespace: string, name: string, options: CallOptions = {}): Promise<void> {
    const path = `${CORE}/namespaces/${seg(namespace)}/pods/${seg(name)}`;
    const query = { gracePeriodSeconds: '0' };
    await this.ignoreNotFound(
      this.json(
        { verb: 'delete', resource: 'pods', method: 'DELETE', path, query, ...options },
        NOT_FOUND_IS_AN_ANSWER,
      ),
    );
  }

  /** The Deployment that owns `flowprobe run`'s probe pods: deleting it (or losing it) garbage-collects them. */
  createOwner(namespace: string, body: object, options: CallOptions = {}): Promise<WireObject> {
    const path = `${OWNER_KINDS.Deployment.base}/namespaces/${seg(namespace)}/deployments`;
    const call: Call = { verb: 'create', resource: 'deployments', method: 'POST', path, body };
    return this.json<WireObject>({ ...call, ...options });
  }

  /** The run owners of `kind` a label selector matches in a namespace (leftovers of earlier runs). */
  async listOwners(
    kind: OwnerKind,
    namespace: string,
    labelSelector: string,
    options: CallOptions = {},
  ): Promise<WireObject[]> {
    const { base, resource } = OWNER_KINDS[kind];
    const path = `${base}/namespaces/${seg(namespace)}/${resource}`;
    const call: Call = { verb: 'list', resource, method: 'GET', path };
    const page = (query: Record<string, string>) =>
      this.json<ListPage<WireObject>>({ ...call, query: { ...query, labelSelector }, ...options });
    return (await listInPages(page, (owner) => owner)).items;
  }

  /** Deletes a run owner; the garbage collector then deletes the pods it controls. Gone is fine. */
  async deleteOwner(
    kind: OwnerKind,
    namespace: string,
    name: string,
    options: CallOptions = {},
  ): Promise<void> {
    const { base, resource } = OWNER_KINDS[kind];
    const path = `${base}/namespaces/${seg(namespace)}/${resource}/${seg(name)}`;
    const query = { propagationPolicy: 'Background' };
    await this.ignoreNotFound(
      this.json(
        { verb: 'delete', resource, method: 'DELETE', path, query, ...options },
        NOT_FOUND_IS_AN_ANSWER,
      ),
    );
  }

  podLog(namespace: string, name: string, container: string, options: CallOptions = {}): Promise<string> {
    const path = `${CORE}/namespaces/${seg(namespace)}/pods/${seg(name)}/log`;
    const call: Call = { verb: 'get', resource: 'pods/log', method: 'GET', path, query: { container } };
    return this.call({ ...call, ...options }, (c) => this.rest.text(c));
  }

  /** A fresh read, bypassing the cache (after a conflict). Undefined when the test is gone. */
  getTest(namespace: string, name: string): Promise<TestObject | undefined> {
    const path = `${TESTS}/namespaces/${seg(namespace)}/${PLURAL}/${seg(name)}`;
    return this.ignoreNotFound(
      this.json<TestObject>({ verb: 'get', resource: PLURAL, method: 'GET', path }, NOT_FOUND_IS_AN_ANSWER),
    );
  }

  /**
   * Writes the whole status through the status subresource with a merge patch that carries the
   * resourceVersion it was computed from: a concurrent change makes the server answer 409 Conflict instead
   * of our write silently overwriting it (optimistic concurrency). A 404 means the test was deleted
   * meanwhile: the caller's answer, not an API error.
   */
  patchTestStatus(
    test: { namespace: string; name: string; resourceVersion: string },
    status: ConnectivityTestStatus,
  ): Promise<TestObject> {
    const body = { metadata: { resourceVersion: test.resourceVersion }, status };
    const path = `${TESTS}/namespaces/${seg(test.namespace)}/${PLURAL}/${seg(test.name)}/status`;
    const resource = `${PLURAL}/status`;
    const call: Call = { verb: 'patch', resource, method: 'PATCH', path, body, contentType: MERGE_PATCH };
    return this.json<TestObject>(call, NOT_FOUND_IS_AN_ANSWER);
  }

  /** A fresh read of a ClusterConnectivityTest (after a conflict). Undefined when it is gone. */
  getClusterTest(name: string): Promise<ClusterTestObject | undefined> {
    const path = `${TESTS}/${CLUSTER_PLURAL}/${seg(name)}`;
    const call: Call = { verb: 'get', resource: CLUSTER_PLURAL, method: 'GET', path };
    return this.ignoreNotFound(this.json<ClusterTestObject>(call, NOT_FOUND_IS_AN_ANSWER));
  }

  /** patchTestStatus for a ClusterConnectivityTest (cluster-scoped: no namespace in the path). */
  patchClusterTestStatus(
    test: { name: string; resourceVersion: string },
    status: ClusterConnectivityTestStatus | ConnectivityTestStatus,
  ): Promise<ClusterTestObject> {
    const body = { metadata: { resourceVersion: test.resourceVersion }, status };
    const path = `${TESTS}/${CLUSTER_PLURAL}/${seg(test.name)}/status`;
    const resource = `${CLUSTER_PLURAL}/status`;
    const call: Call = { verb: 'patch', resource, method: 'PATCH', path, body, contentType: MERGE_PATCH };
    return this.json<ClusterTestObject>(call, NOT_FOUND_IS_AN_ANSWER);
  }

  /** `body` carries its times as MicroTime strings (six fractional digits), as the wire does. */
  createEvent(namespace: string, body: object): Promise<WireObject> {
    const path = `${EVENTS}/namespaces/${seg(namespace)}/events`;
    return this.json<WireObject>({ verb: 'create', resource: 'events', method: 'POST', path, body });
  }

  patchEvent(namespace: string, name: string, patch: object): Promise<WireObject> {
    const path = `${EVENTS}/namespaces/${seg(namespace)}/events/${seg(name)}`;
    const call: Call = { verb: 'patch', resource: 'events', method: 'PATCH', path, body: patch };
    return this.json<WireObject>({ ...call, contentType: MERGE_PATCH });
  }

  async readLease(
    namespace: string,
    name: string,
    options: CallOptions = {},
  ): Promise<LeaseRecord | undefined> {
    const path = `${LEASES}/namespaces/${seg(namespace)}/leases/${seg(name)}`;
    const lease = await this.ignoreNotFound(
      this.json<WireLease>(
        { verb: 'get', resource: 'leases', method: 'GET', path, ...options },
        NOT_FOUND_IS_AN_ANSWER,
      ),
    );
    return lease && fromLease(lease);
  }

  /** Creates the lease, or replaces it when `lease.resourceVersion` is set (409 if someone else wrote it). */
  async writeLease(lease: LeaseRecord, options: CallOptions = {}): Promise<LeaseRecord> {
    const body = toLease(lease);
    const collection = `${LEASES}/namespaces/${seg(lease.namespace)}/leases`;
    const written = lease.resourceVersion
      ? await this.json<WireLease>({
          verb: 'update',
          resource: 'leases',
          method: 'PUT',
          path: `${collection}/${seg(lease.name)}`,
          body,
          ...options,
        })
      : await this.json<WireLease>({
          verb: 'create',
          resource: 'leases',
          method: 'POST',
          path: collection,
          body,
          ...options,
        });
    return fromLease(written);
  }

  private json<T extends object>(call: Call, notFoundIsAnAnswer = false): Promise<T> {
    return this.call(call, (c) => this.rest.json<T>(c), notFoundIsAnAnswer);
  }

  /**
   * Every call goes through here, so that each failure reaches the API-errors hook exactly once — except
   * a 404 where the caller expects one (a pod already gone, a test deleted mid-run): that is an answer.
   */
  private async call<T>(
    call: Call,
    send: (call: Call) => Promise<T>,
    notFoundIsAnAnswer = false,
  ): Promise<T> {
    try {
      return await send(call);
    } catch (err) {
      const error = toKubeApiError(call.verb, call.resource, err);
      if (!(notFoundIsAnAnswer && error.notFound)) this.hooks.onApiError?.(call.verb, error);
      throw error;
    }
  }

  private async ignoreNotFound<T>(pending: Promise<T>): Promise<T | undefined> {
    try {
      return await pending;
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) return undefined;
      throw err;
    }
  }

  /** A discovery document; undefined for a 404 (that group version is not served). */
  private discoveryDoc(path: string, signal?: AbortSignal): Promise<object | undefined> {
    const call: Call = {
      verb: 'get',
      resource: 'discovery',
      method: 'GET',
      path,
      ...(signal ? { signal } : {}),
    };
    return this.ignoreNotFound(this.json<object>(call, NOT_FOUND_IS_AN_ANSWER));
  }

  /** A CRD of a policy group came, changed or went: the served policy kinds may have changed. */
  private crdChanged(crd: WireObject): void {
    // Read as metadata only: the group is in the name, `<plural>.<group>` (the API server requires it).
    const name = crd.metadata.name;
    const group = name.slice(name.indexOf('.') + 1);
    if (this.crdEventsCount && POLICY_GROUPS.has(group)) void this.extraPolicies.refresh();
  }

  private policyInformer(kc: KubeConfig, kind: PolicyKind): ResilientInformer<WireObject & KubernetesObject> {
    const path = `/apis/${apiVersionOf(kind)}/${kind.plural}`;
    return this.informer(kc, 'ExtraPolicy', path, {
      trim: trimPolicy(kind),
      resource: kind.plural,
      // A 404 says the kind is gone (its CRD deleted): an answer that stops the cache, not an error.
      goneOnNotFound: (err) => this.extraPolicies.cacheFailed(kind, err),
    });
  }

  private informer<T extends WatchedObject & KubernetesObject>(
    kc: KubeConfig,
    kind: WatchedKind,
    path: string,
    options: {
      trim?: (obj: WireObject) => WireObject;
      /** Whether its changes go to the onChange hook (the CRD watch's only start discoveries). */
      forward?: boolean;
      /** The resource named in errors and metrics (default: the kind). */
      resource?: string;
      /** Takes every list or watch failure first; true when it was a 404 it handled (nothing is reported). */
      goneOnNotFound?: (err: unknown) => boolean;
      /** Objects per list page; default client-go's 500. */
      pageSize?: number;
      /** List and watch metadata alone (PartialObjectMetadata): the CRDs, whose schemas are never read. */
      metadataOnly?: boolean;
    } = {},
  ): ResilientInformer<T> {
    const listPage = (query: Record<string, string>, signal?: AbortSignal) =>
      this.json<ListPage<T>>(
        {
          verb: 'list',
          resource: options.resource ?? kind,
          method: 'GET',
          path,
          query,
          ...(signal ? { signal } : {}),
          ...(options.metadataOnly ? { accept: METADATA_LIST } : {}),
        },
        options.goneOnNotFound !== undefined,
      );
    const trim = (options.trim ??
      (kind === 'Pod' ? (pod: PodObject) => cachedPod(pod, this.interner) : trimObject)) as unknown as (
      obj: T,
    ) => T;
    return new ResilientInformer<T>(kc, path, listPage, {
      onChange: (type, obj) => {
        // The change log (assigned after this informer) learns of a pod change before anyone reacts to it.
        if (kind === 'Pod') this.podSource.record(type, obj);
        if (kind === 'CustomResourceDefinition') this.crdChanged(obj as WireObject);
        if (options.forward !== false) this.hooks.onChange?.(kind, type, obj);
      },
      onError: (err, retryInMs) => {
        if (options.goneOnNotFound?.(err)) return;
        // A failed list went through call() and was counted there; anything else is the watch's.
        if (!(err instanceof KubeApiError)) this.hooks.onApiError?.('watch', err);
        this.hooks.onWatchError?.(kind, err, retryInMs);
      },
      trim,
      ...(options.pageSize !== undefined ? { pageSize: options.pageSize } : {}),
      ...(options.metadataOnly ? { watchAccept: METADATA_OBJECT } : {}),
    });
  }
}

/**
 * The kinds that own `flowprobe run`'s probe pods: Deployments now, ConfigMaps in earlier releases (only
 * listed and deleted, as leftovers).
 */
export type OwnerKind = 'Deployment' | 'ConfigMap';

const OWNER_KINDS: Record<OwnerKind, { base: string; resource: string }> = {
  Deployment: { base: '/apis/apps/v1', resource: 'deployments' },
  ConfigMap: { base: CORE, resource: 'configmaps' },
};

/** A coordination.k8s.io/v1 Lease on the wire: times are MicroTime strings. */
interface WireLease {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

function toLease(lease: LeaseRecord): object {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name: lease.name,
      namespace: lease.namespace,
      ...(lease.resourceVersion ? { resourceVersion: lease.resourceVersion } : {}),
    },
    spec: {
      holderIdentity: lease.holder,
      leaseDurationSeconds: lease.leaseDurationSeconds,
      acquireTime: lease.acquireTime && microTime(lease.acquireTime),
      renewTime: lease.renewTime && microTime(lease.renewTime),
      leaseTransitions: lease.transitions,
    },
  };
}

function fromLease(lease: WireLease): LeaseRecord {
  const spec = lease.spec ?? {};
  const date = (d: string | undefined) => (d ? new Date(d) : undefined);
  return {
    name: lease.metadata?.name ?? '',
    namespace: lease.metadata?.namespace ?? '',
    holder: spec.holderIdentity,
    acquireTime: date(spec.acquireTime),
    renewTime: date(spec.renewTime),
    leaseDurationSeconds: spec.leaseDurationSeconds,
    transitions: spec.leaseTransitions,
    resourceVersion: lease.metadata?.resourceVersion,
  };
}

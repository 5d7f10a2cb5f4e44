// The operator's one gateway to the API server: list+watch caches of what it reads, and the few writes it
// makes. Nothing else in the code base imports @kubernetes/client-node.
import {
  CoordinationV1Api,
  CoreV1Api,
  CustomObjectsApi,
  EventsV1Api,
  NetworkingV1Api,
  V1MicroTime,
  type EventsV1Event,
  type KubeConfig,
  type KubernetesObject,
  type V1Lease,
} from '@kubernetes/client-node';
import { GROUP, PLURAL, VERSION, type ConnectivityTestStatus } from '../api/types.js';
import { toKubeApiError } from './api-error.js';
import { ResilientInformer, type ChangeType } from './informer.js';
import type { LeaseRecord, PodObject, TestObject, WireObject } from './objects.js';
import { customList, toWire, wireList } from './plain.js';
import { MERGE_PATCH, requestOptions, SharedConnections } from './request-options.js';

export type WatchedKind = 'ConnectivityTest' | 'Pod' | 'Namespace' | 'Service' | 'NetworkPolicy';

export interface ClusterHooks {
  onChange?: (kind: WatchedKind, type: ChangeType, obj: WireObject) => void;
  /** Every failed call, by verb (the API-errors metric). */
  onApiError?: (verb: string, err: unknown) => void;
  onWatchError?: (kind: WatchedKind, err: unknown, retryInMs: number) => void;
  requestTimeoutMs?: number;
  /** The caches to run; default all. `flowprobe run` leaves out ConnectivityTests (the CRD may be absent). */
  kinds?: readonly WatchedKind[];
}

interface CacheLifecycle {
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly synced: boolean;
}

export class KubeCluster {
  readonly tests: ResilientInformer<TestObject & KubernetesObject>;
  readonly pods: ResilientInformer<PodObject & KubernetesObject>;
  readonly namespaces: ResilientInformer<WireObject & KubernetesObject>;
  readonly services: ResilientInformer<WireObject & KubernetesObject>;
  readonly policies: ResilientInformer<WireObject & KubernetesObject>;
  private readonly core: CoreV1Api;
  private readonly custom: CustomObjectsApi;
  private readonly events: EventsV1Api;
  private readonly leases: CoordinationV1Api;
  private readonly timeoutMs: number;
  private readonly connections = new SharedConnections();

  constructor(
    kc: KubeConfig,
    private readonly hooks: ClusterHooks = {},
  ) {
    this.core = kc.makeApiClient(CoreV1Api);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.events = kc.makeApiClient(EventsV1Api);
    this.leases = kc.makeApiClient(CoordinationV1Api);
    const networking = kc.makeApiClient(NetworkingV1Api);
    this.timeoutMs = hooks.requestTimeoutMs ?? 30_000;
    const opts = () => requestOptions(this.timeoutMs, this.connections);
    this.tests = this.informer<TestObject & KubernetesObject>(
      kc,
      'ConnectivityTest',
      `/apis/${GROUP}/${VERSION}/${PLURAL}`,
      async () =>
        customList(
          asObject(
            await this.custom.listClusterCustomObject(
              { group: GROUP, version: VERSION, plural: PLURAL },
              opts(),
            ),
          ),
        ),
    );
    this.pods = this.informer<PodObject & KubernetesObject>(kc, 'Pod', '/api/v1/pods', async () =>
      wireList(await this.core.listPodForAllNamespaces({}, opts()), 'V1PodList'),
    );
    this.namespaces = this.informer(kc, 'Namespace', '/api/v1/namespaces', async () =>
      wireList(await this.core.listNamespace({}, opts()), 'V1NamespaceList'),
    );
    this.services = this.informer(kc, 'Service', '/api/v1/services', async () =>
      wireList(await this.core.listServiceForAllNamespaces({}, opts()), 'V1ServiceList'),
    );
    this.policies = this.informer(
      kc,
      'NetworkPolicy',
      '/apis/networking.k8s.io/v1/networkpolicies',
      async () =>
        wireList(await networking.listNetworkPolicyForAllNamespaces({}, opts()), 'V1NetworkPolicyList'),
    );
  }

  private get all() {
    const byKind: [WatchedKind, CacheLifecycle][] = [
      ['ConnectivityTest', this.tests],
      ['Pod', this.pods],
      ['Namespace', this.namespaces],
      ['Service', this.services],
      ['NetworkPolicy', this.policies],
    ];
    const kinds = this.hooks.kinds;
    return byKind.filter(([kind]) => !kinds || kinds.includes(kind)).map(([, informer]) => informer);
  }

  async startCaches(): Promise<void> {
    await Promise.all(this.all.map((i) => i.start()));
  }

  /** True once every cache has listed at least once: what readiness waits for. */
  get synced(): boolean {
    return this.all.every((i) => i.synced);
  }

  /** Stops the caches and closes the kept connections (a later call would open new ones). */
  async stopCaches(): Promise<void> {
    await Promise.all(this.all.map((i) => i.stop()));
    await this.connections.close();
  }

  createPod(namespace: string, body: object): Promise<PodObject> {
    return this.call(
      'create',
      'pods',
      async () =>
        toWire(await this.core.createNamespacedPod({ namespace, body }, this.opts()), 'V1Pod') as PodObject,
    );
  }

  /** Deletes a pod now (grace period 0); a pod already gone is not an error. */
  async deletePod(namespace: string, name: string): Promise<void> {
    try {
      await this.call('delete', 'pods', () =>
        this.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }, this.opts()),
      );
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) return;
      throw err;
    }
  }

  /** A ConfigMap that owns `flowprobe run`'s probe pods: deleting it (or losing it) garbage-collects them. */
  createOwner(namespace: string, generateName: string, labels: Record<string, string>): Promise<WireObject> {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName, namespace, labels } };
    return this.call('create', 'configmaps', async () =>
      toWire(await this.core.createNamespacedConfigMap({ namespace, body }, this.opts()), 'V1ConfigMap'),
    );
  }

  async deleteOwner(namespace: string, name: string): Promise<void> {
    try {
      await this.call('delete', 'configmaps', () =>
        this.core.deleteNamespacedConfigMap(
          { name, namespace, propagationPolicy: 'Background' },
          this.opts(),
        ),
      );
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) return;
      throw err;
    }
  }

  podLog(namespace: string, name: string, container: string): Promise<string> {
    return this.call('get', 'pods/log', () =>
      this.core.readNamespacedPodLog({ name, namespace, container }, this.opts()),
    );
  }

  /** A fresh read, bypassing the cache (after a conflict). Undefined when the test is gone. */
  async getTest(namespace: string, name: string): Promise<TestObject | undefined> {
    try {
      return await this.call('get', PLURAL, async () =>
        asTest(
          await this.custom.getNamespacedCustomObject(
            { group: GROUP, version: VERSION, namespace, plural: PLURAL, name },
            this.opts(),
          ),
        ),
      );
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) return undefined;
      throw err;
    }
  }

  /**
   * Writes the whole status through the status subresource with a merge patch that carries the
   * resourceVersion it was computed from: a concurrent change makes the server answer 409 Conflict instead
   * of our write silently overwriting it (optimistic concurrency).
   */
  patchTestStatus(
    test: { namespace: string; name: string; resourceVersion: string },
    status: ConnectivityTestStatus,
  ): Promise<TestObject> {
    const body = { metadata: { resourceVersion: test.resourceVersion }, status };
    return this.call('patch', `${PLURAL}/status`, async () =>
      asTest(
        await this.custom.patchNamespacedCustomObjectStatus(
          {
            group: GROUP,
            version: VERSION,
            namespace: test.namespace,
            plural: PLURAL,
            name: test.name,
            body,
          },
          this.opts(MERGE_PATCH),
        ),
      ),
    );
  }

  createEvent(namespace: string, body: object): Promise<WireObject> {
    return this.call('create', 'events', async () =>
      toWire(
        await this.events.createNamespacedEvent({ namespace, body: withMicroTimes(body) }, this.opts()),
        'EventsV1Event',
      ),
    );
  }

  patchEvent(namespace: string, name: string, patch: object): Promise<WireObject> {
    return this.call('patch', 'events', async () =>
      toWire(
        await this.events.patchNamespacedEvent({ name, namespace, body: patch }, this.opts(MERGE_PATCH)),
        'EventsV1Event',
      ),
    );
  }

  async readLease(namespace: string, name: string): Promise<LeaseRecord | undefined> {
    try {
      return fromLease(
        await this.call('get', 'leases', () =>
          this.leases.readNamespacedLease({ name, namespace }, this.opts()),
        ),
      );
    } catch (err) {
      if ((err as { notFound?: boolean }).notFound) return undefined;
      throw err;
    }
  }

  /** Creates the lease, or replaces it when `lease.resourceVersion` is set (409 if someone else wrote it). */
  async writeLease(lease: LeaseRecord): Promise<LeaseRecord> {
    const body = toLease(lease);
    const { name, namespace } = lease;
    const written = lease.resourceVersion
      ? await this.call('update', 'leases', () =>
          this.leases.replaceNamespacedLease({ name, namespace, body }, this.opts()),
        )
      : await this.call('create', 'leases', () =>
          this.leases.createNamespacedLease({ namespace, body }, this.opts()),
        );
    return fromLease(written);
  }

  private opts(contentType?: string) {
    return requestOptions(this.timeoutMs, this.connections, contentType);
  }

  private async call<T>(verb: string, resource: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      const error = toKubeApiError(verb, resource, err);
      this.hooks.onApiError?.(verb, error);
      throw error;
    }
  }

  private informer<T extends WireObject & KubernetesObject>(
    kc: KubeConfig,
    kind: WatchedKind,
    path: string,
    list: () => Promise<import('@kubernetes/client-node').KubernetesListObject<T>>,
  ): ResilientInformer<T> {
    return new ResilientInformer<T>(kc, path, () => this.call('list', kind, list), {
      onChange: (type, obj) => this.hooks.onChange?.(kind, type, obj),
      onError: (err, retryInMs) => this.hooks.onWatchError?.(kind, err, retryInMs),
    });
  }
}

/**
 * The generated serializer writes MicroTime fields with `.toISOString()` of a V1MicroTime, so an event's
 * times must be V1MicroTime instances, not the strings our plain objects carry.
 */
function withMicroTimes(body: object): EventsV1Event {
  const event = body as Record<string, unknown> & {
    eventTime: unknown;
    series?: { count: number; lastObservedTime: unknown };
  };
  const micro = (t: unknown) => new V1MicroTime(new Date(t as string).getTime());
  const withTimes: Record<string, unknown> = { ...event, eventTime: micro(event.eventTime) };
  if (event.series)
    withTimes.series = { ...event.series, lastObservedTime: micro(event.series.lastObservedTime) };
  return withTimes as unknown as EventsV1Event;
}

/** CustomObjectsApi answers `any` (parsed JSON): narrow it at this boundary. */
function asObject(value: unknown): object {
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`expected an object, got ${typeof value}`);
  return value;
}

function asTest(value: unknown): TestObject {
  const obj = asObject(value) as Partial<TestObject>;
  if (typeof obj.metadata?.name !== 'string')
    throw new TypeError('expected a ConnectivityTest with metadata.name');
  return obj as TestObject;
}

function toLease(lease: LeaseRecord): V1Lease {
  const micro = (d: Date | undefined) => (d ? new V1MicroTime(d.getTime()) : undefined);
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
      // MicroTime: six fractional digits; kube-apiserver rejects a plain Date (kubernetes/kubernetes#89156).
      acquireTime: micro(lease.acquireTime),
      renewTime: micro(lease.renewTime),
      leaseTransitions: lease.transitions,
    },
  };
}

function fromLease(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  const date = (d: Date | undefined) => (d ? new Date(d) : undefined);
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

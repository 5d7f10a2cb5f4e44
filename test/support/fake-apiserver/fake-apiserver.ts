/**
 * FakeApiServer: an in-process stand-in for kube-apiserver, for tests only. Plain HTTP on 127.0.0.1 and an
 * ephemeral port; bearer-token identities; RBAC; storage, watches, validation and the controllers that
 * finish deletions. See README.md for what it fakes and where it differs from the real thing.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { admissionChain, type AdmissionPluginName } from './admission.js';
import { ADMIN, TokenAuthenticator, type UserInfo } from './authentication.js';
import { DEFAULT_BOOKMARK_PERIOD_MS } from './bookmark-schedule.js';
import { unsupportedCelRules } from './cel-rules.js';
import { Compactor, DEFAULT_COMPACTION_INTERVAL_MS } from './compactor.js';
import { resourceFromCrd } from './custom-resources.js';
import { DEFAULT_EVENT_TTL_SECONDS, EventExpiry } from './event-expiry.js';
import { Faults } from './faults.js';
import { GarbageCollector } from './garbage-collector.js';
import { Lifecycle } from './lifecycle.js';
import { PodLogs } from './pod-logs.js';
import { RbacAuthorizer, UsageRecorder, type UsageRecord } from './rbac.js';
import { rbacReport, type RbacReport } from './rbac-report.js';
import { RequestLog, type LoggedRequest } from './request-log.js';
import { builtinResources, ResourceRegistry } from './resources.js';
import { ResourceView } from './resource-view.js';
import { Router } from './router.js';
import type { RequestMatch } from './faults.js';
import { Store, type StoreEvent } from './store.js';
import type { RequestInfo } from './request-info.js';
import type { KubeObject } from './types.js';
import { WatchHub } from './watch.js';

export interface FakeApiServerOptions {
  /** Namespaces that exist at start; default: default, kube-system, kube-public, kube-node-lease. */
  namespaces?: string[];
  /** Objects (e.g. CRDs, RBAC) created as the admin before the server accepts requests. */
  objects?: KubeObject[];
  /**
   * Serve HTTPS with this key and certificate (PEM) instead of plain HTTP. kubectl needs it: client-go sends
   * credentials only over TLS (kubernetes/kubectl#744), while @kubernetes/client-node also sends them over http.
   */
  tls?: { key: string; cert: string };
  /**
   * Delete pods bound to a node gracefully, as kube-apiserver does: they keep a deletionTimestamp for their
   * grace period until a (simulated) kubelet deletes them with gracePeriodSeconds=0. Default: off — without a
   * kubelet such pods would never go away.
   */
  gracefulPodDeletion?: boolean;
  /** kube-apiserver's `--event-ttl`: an Event is deleted this long after its last write. Default 3600. */
  eventTtlSeconds?: number;
  /** How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK; default 60 s, as kube-apiserver. */
  bookmarkPeriodMs?: number;
  /** History is compacted every interval up to the previous tick's resourceVersion; default 5 min, as
   * kube-apiserver (`--etcd-compaction-interval`); 0: only `compact()` compacts. */
  compactionIntervalMs?: number;
  /**
   * Admission plugins to run, as kube-apiserver's `--enable-admission-plugins` (admission.ts). Default: none,
   * as kind v0.29. `OwnerReferencesPermissionEnforcement` is on in OpenShift and hardened clusters.
   */
  enableAdmissionPlugins?: AdmissionPluginName[];
  /**
   * kube-apiserver's WatchList feature gate (list-options.ts): streaming initial lists (`sendInitialEvents`).
   * Default on, as in 1.32 and from 1.34; `false` is 1.33's default, which refuses such a watch with 422.
   */
  watchList?: boolean;
}

const CRD_KEY = 'apiextensions.k8s.io/customresourcedefinitions';
const DEFAULT_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export class FakeApiServer {
  private readonly store = new Store();
  private readonly registry = new ResourceRegistry(builtinResources());
  private readonly authenticator = new TokenAuthenticator();
  private readonly usageRecorder = new UsageRecorder();
  private readonly authorizer = new RbacAuthorizer(this.store);
  private readonly watches: WatchHub;
  private readonly compactor: Compactor;
  private readonly requestLog = new RequestLog();
  private readonly logs = new PodLogs();
  private readonly gc: GarbageCollector;
  private readonly lifecycle: Lifecycle;
  private readonly eventExpiry: EventExpiry;
  private readonly timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  private readonly http: Server;
  private connections = 0;
  private readonly tls: FakeApiServerOptions['tls'];
  readonly faults = new Faults({
    closeWatches: () => {
      this.watches.closeAll();
    },
    compact: (rv) => {
      this.store.compact(rv);
    },
  });

  private constructor(options: FakeApiServerOptions) {
    this.tls = options.tls;
    this.watches = new WatchHub(this.store, options.bookmarkPeriodMs ?? DEFAULT_BOOKMARK_PERIOD_MS);
    this.compactor = new Compactor(
      this.store,
      options.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS,
    );
    this.gc = new GarbageCollector(this.store, this.registry, () => this.lifecycle);
    const orphan = (owner: KubeObject): void => {
      this.gc.orphan(owner);
    };
    const admit = admissionChain(options.enableAdmissionPlugins ?? [], {
      authorize: (user, info) => this.authorizeForAdmission(user, info),
      resourceOf: (apiVersion, kind) => this.registry.byKind(apiVersion, kind),
    });
    this.lifecycle = new Lifecycle(this.store, orphan, {
      gracefulPodDeletion: options.gracefulPodDeletion,
      ...(admit ? { admit } : {}),
    });
    this.store.subscribe((event) => {
      this.afterWrite(event);
    });
    const ttlSeconds = options.eventTtlSeconds ?? DEFAULT_EVENT_TTL_SECONDS;
    this.eventExpiry = new EventExpiry(this.store, { ttlMs: ttlSeconds * 1000, now: Date.now });
    const router = new Router({
      store: this.store,
      lifecycle: this.lifecycle,
      watches: this.watches,
      logs: this.logs,
      watchList: options.watchList ?? true,
      registry: this.registry,
      authenticator: this.authenticator,
      authorizer: this.authorizer,
      usage: this.usageRecorder,
      requests: this.requestLog,
      faults: this.faults,
      delay: (ms) => this.delay(ms),
      host: () => this.url.replace(/^https?:\/\//, ''),
    });
    const handler = (req: IncomingMessage, res: ServerResponse): void => void router.handle(req, res);
    this.http = this.tls ? createTlsServer(this.tls, handler) : createServer(handler);
    this.http.on(this.tls ? 'secureConnection' : 'connection', () => {
      this.connections += 1;
    });
  }

  /** Client connections accepted so far (with TLS: completed handshakes), to see whether clients reuse them. */
  get connectionsAccepted(): number {
    return this.connections;
  }

  static async start(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
    const server = new FakeApiServer(options);
    for (const name of options.namespaces ?? DEFAULT_NAMESPACES)
      await server.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
    for (const obj of options.objects ?? []) await server.create(obj);
    await new Promise<void>((resolve) => server.http.listen(0, '127.0.0.1', resolve));
    return server;
  }

  get url(): string {
    const address = this.http.address() as AddressInfo | null;
    return address ? `${this.tls ? 'https' : 'http'}://127.0.0.1:${address.port}` : '';
  }

  /** The bearer token of an identity, e.g. `system:admin` or `system:serviceaccount:NS:NAME`. */
  tokenFor(username: string, groups: string[] = []): string {
    return this.authenticator.tokenFor(username, groups);
  }

  /** A kubeconfig (YAML) that reaches this server as `username` (default: the admin). */
  kubeconfig(username: string = ADMIN, namespace = 'default'): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: this.url, ...this.trust() } }],
      users: [{ name: username, user: { token: this.tokenFor(username) } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: username, namespace } }],
      'current-context': 'fake',
    });
  }

  /** With TLS, trust the server's own certificate; over plain http the client still wants verification off (stack.md). */
  private trust(): Record<string, unknown> {
    if (this.tls) return { 'certificate-authority-data': Buffer.from(this.tls.cert).toString('base64') };
    return { 'insecure-skip-tls-verify': true };
  }

  /** What an identity asked for, by (verb, group, resource, subresource, namespace), allowed or not. */
  usage(username: string): UsageRecord[] {
    return this.usageRecorder.usage(username);
  }

  /** Every resource request received that matches (all without `match`), oldest first, with its query. */
  requests(match?: RequestMatch): LoggedRequest[] {
    return this.requestLog.requests(match);
  }

  /** The paths of non-resource requests received (discovery: `/apis`, `/apis/G/V`; health), oldest first. */
  nonResourceRequests(): string[] {
    return this.requestLog.nonResourcePaths();
  }

  /**
   * The identity's RBAC against its use so far: requests it was denied, and granted (verb, group, resource)
   * combinations it never used — to prove shipped RBAC is the least the code needs.
   */
  rbacReport(username: string): RbacReport {
    const grants = this.authorizer.grantsOf(this.authenticator.userInfo(username));
    return rbacReport(grants, this.usageRecorder.usage(username));
  }

  /** An admission plugin's authorization check, recorded like a request's so RBAC reports count it. */
  private authorizeForAdmission(user: UserInfo, info: RequestInfo): boolean {
    const allowed = this.authorizer.allows(user, info);
    this.usageRecorder.record(user, info, allowed);
    return allowed;
  }

  /** CEL rules skipped because the evaluator lacks a Kubernetes CEL library function or syntax (cel-rules.ts). */
  unsupportedCelRules(): string[] {
    return unsupportedCelRules();
  }

  /** Sets what `container` of a pod "printed", served by the pods/log subresource. */
  setPodLog(namespace: string, pod: string, container: string, text: string): void {
    this.logs.set(namespace, pod, container, text);
  }

  /** Ends every open watch (clients re-watch from their last resourceVersion). */
  closeWatches(): void {
    this.watches.closeAll();
  }

  openWatchCount(): number {
    return this.watches.count();
  }

  /** Sends a BOOKMARK now on every watch that allowed bookmarks. */
  sendBookmarks(): void {
    this.watches.sendBookmarks();
  }

  /** Forgets history up to `throughRv` (default: all), so older resourceVersions answer 410 Expired. */
  compact(throughRv?: number): void {
    this.store.compact(throughRv);
  }

  /** Deletes every Event (in `namespace`, or all) now, as if `--event-ttl` had passed; returns "ns/name"s. */
  expireEvents(namespace?: string): string[] {
    return this.eventExpiry.expireAll(namespace);
  }

  resourceVersion(): number {
    return this.store.currentRv();
  }

  /** Creates an object as the admin, without HTTP (fixtures). */
  async create(obj: KubeObject): Promise<KubeObject> {
    const def = this.registry.byKind(obj.apiVersion ?? '', obj.kind ?? '');
    if (!def) throw new Error(`FakeApiServer does not serve ${obj.apiVersion ?? ''} ${obj.kind ?? ''}`);
    return this.lifecycle.create(def, obj.metadata.namespace ?? '', obj);
  }

  /**
   * Replaces an object's status through its status subresource as the admin, without HTTP (fixtures: a
   * pod's status as its kubelet would write it; create ignores a sent status, as kube-apiserver does).
   */
  async updateStatus(obj: KubeObject): Promise<KubeObject> {
    const def = this.registry.byKind(obj.apiVersion ?? '', obj.kind ?? '');
    if (!def) throw new Error(`FakeApiServer does not serve ${obj.apiVersion ?? ''} ${obj.kind ?? ''}`);
    const { namespace = '', name = '' } = obj.metadata;
    return this.lifecycle.update(def, namespace, name, obj, 'status');
  }

  /** Reads an object without HTTP, or undefined. */
  get(apiVersion: string, kind: string, namespace: string, name: string): KubeObject | undefined {
    const def = this.registry.byKind(apiVersion, kind);
    return def ? new ResourceView(this.store, def).get(namespace, name) : undefined;
  }

  /** Closes watches and connections and releases every handle, so the test process can exit. */
  async stop(): Promise<void> {
    this.watches.closeAll();
    this.compactor.stop();
    this.gc.stop();
    this.eventExpiry.stop();
    for (const { timer, resolve } of this.timers) {
      clearTimeout(timer);
      resolve();
    }
    this.timers.clear();
    const closed = new Promise<void>((resolve) => {
      this.http.close(() => {
        resolve();
      });
    });
    this.http.closeAllConnections();
    await closed;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.timers.delete(entry);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(entry);
    });
  }

  /** CRDs start or stop serving their resource; every write may give the controllers work. */
  private afterWrite(event: StoreEvent): void {
    if (event.key === CRD_KEY) {
      const def = resourceFromCrd(event.object);
      if (event.type === 'DELETED' && def) this.dropCustomResources(def.group, def.plural);
      else if (def) this.registry.add(def);
    }
    this.gc.schedule();
  }

  /** Deleting a CRD deletes its custom resources (the customresourcecleanup finalizer's work). */
  private dropCustomResources(group: string, plural: string): void {
    const key = `${group}/${plural}`;
    for (const obj of this.store.list(key))
      this.store.remove(key, obj.metadata.namespace ?? '', obj.metadata.name!);
    this.registry.remove(group, plural);
    this.watches.closeResource(key);
  }
}

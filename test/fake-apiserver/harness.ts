/**
 * Shared set-up of the fake API server's conformance tests: a started FakeApiServer with the fixture CRDs,
 * real @kubernetes/client-node clients for an identity, and helpers to assert on Status errors.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  FakeApiServer,
  type FakeApiServerOptions,
  type KubeObject,
} from '../support/fake-apiserver/index.js';
import * as k8s from '../support/fake-apiserver/kube-client.js';

export { k8s };

const FIXTURES = new URL('../fixtures/fake-apiserver/', import.meta.url);

export function fixture(name: string): KubeObject {
  return parse(readFileSync(new URL(name, FIXTURES), 'utf8')) as KubeObject;
}

export const PROBE_CRD = 'probes.fixtures.flowprobe.dev.yaml';
export const PROBE_CLASS_CRD = 'probeclasses.fixtures.flowprobe.dev.yaml';
export const GROUP = 'fixtures.flowprobe.dev';
export const VERSION = 'v1alpha1';
/** The fixture Probes in `default`, as CustomObjectsApi calls address them. */
export const PROBES = { group: GROUP, version: VERSION, namespace: 'default', plural: 'probes' };

export async function startWithFixtures(options: FakeApiServerOptions = {}): Promise<FakeApiServer> {
  return FakeApiServer.start({
    ...options,
    objects: [fixture(PROBE_CRD), fixture(PROBE_CLASS_CRD), ...(options.objects ?? [])],
  });
}

export function kubeConfigFor(server: FakeApiServer, username?: string): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(server.kubeconfig(username));
  return kc;
}

export interface Clients {
  kc: k8s.KubeConfig;
  core: k8s.CoreV1Api;
  custom: k8s.CustomObjectsApi;
  leases: k8s.CoordinationV1Api;
  rbac: k8s.RbacAuthorizationV1Api;
  networking: k8s.NetworkingV1Api;
}

export function clientsFor(server: FakeApiServer, username?: string): Clients {
  const kc = kubeConfigFor(server, username);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    leases: kc.makeApiClient(k8s.CoordinationV1Api),
    rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
    networking: kc.makeApiClient(k8s.NetworkingV1Api),
  };
}

export const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);
export const jsonPatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.JsonPatch);

export interface StatusLike {
  kind: string;
  apiVersion: string;
  status: string;
  message: string;
  reason: string;
  code: number;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: { reason: string; message: string; field: string }[];
  };
}

/** Awaits a call that must fail with an ApiException, and returns its parsed Status body. */
export async function statusOf(call: Promise<unknown>, code: number): Promise<StatusLike> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof k8s.ApiException, `expected ApiException, got ${String(error)}`);
    assert.equal(error.code, code, String(error.body));
    const status = JSON.parse(error.body as string) as StatusLike;
    assert.equal(status.kind, 'Status');
    assert.equal(status.apiVersion, 'v1');
    assert.equal(status.status, 'Failure');
    assert.equal(status.code, code);
    return status;
  }
  assert.fail(`expected HTTP ${code}, the call succeeded`);
}

export function probe(name: string, spec: Record<string, unknown>, namespace = 'default'): KubeObject {
  return { apiVersion: `${GROUP}/${VERSION}`, kind: 'Probe', metadata: { name, namespace }, spec };
}

export function createProbe(c: Clients, obj: KubeObject): Promise<KubeObject> {
  return c.custom.createNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace: obj.metadata.namespace ?? 'default',
    plural: 'probes',
    body: obj,
  }) as Promise<KubeObject>;
}

export function getProbe(c: Clients, name: string, namespace = 'default'): Promise<KubeObject> {
  return c.custom.getNamespacedCustomObject({
    group: GROUP,
    version: VERSION,
    namespace,
    plural: 'probes',
    name,
  }) as Promise<KubeObject>;
}

/** Polls `check` until it returns a value (not undefined) or `timeoutMs` passes; for asynchronous controllers. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves with the error when a promise rejects (e.g. NotFound), undefined otherwise. */
export async function rejection(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
    return undefined;
  } catch (error) {
    return error;
  }
}

export interface WatchEvent {
  type: string;
  object: KubeObject & { code?: number; reason?: string; message?: string };
}

export interface WatchHandle {
  events: WatchEvent[];
  /** Resolves once `predicate(events)` holds (rejects after `timeoutMs`). */
  until: (predicate: (events: WatchEvent[]) => boolean, timeoutMs?: number) => Promise<WatchEvent[]>;
  /** Resolves when the server ends the watch, with the error the client saw (null: clean end). */
  ended: Promise<unknown>;
  stop: () => void;
}

/** Opens a watch through the client library's Watch and records its events. */
export async function openWatch(
  kc: k8s.KubeConfig,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
): Promise<WatchHandle> {
  const events: WatchEvent[] = [];
  const waiters = new Set<() => void>();
  let resolveEnded: (err: unknown) => void = () => undefined;
  const ended = new Promise<unknown>((resolve) => (resolveEnded = resolve));
  const controller = await new k8s.Watch(kc).watch(
    path,
    query,
    (type, object) => {
      events.push({ type, object: object as WatchEvent['object'] });
      for (const wake of [...waiters]) wake();
    },
    (err) => {
      resolveEnded(err);
      for (const wake of [...waiters]) wake();
    },
  );
  const until = (predicate: (e: WatchEvent[]) => boolean, timeoutMs = 3000): Promise<WatchEvent[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(
          new Error(
            `watch condition not met; events: ${JSON.stringify(events.map((e) => [e.type, e.object.metadata.name]))}`,
          ),
        );
      }, timeoutMs);
      const check = (): void => {
        if (!predicate(events)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(events);
      };
      waiters.add(check);
      check();
    });
  return {
    events,
    until,
    ended,
    stop: () => {
      controller.abort();
    },
  };
}

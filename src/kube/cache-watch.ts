// client-node's Watch as a list+watch cache needs it: it asks for bookmarks and for client-go's random
// watch timeout (watch-schedule.ts), waits longer than a bookmark period before it calls a stream dead,
// and hands ListWatch each object as the cache should keep it (trim.ts). ListWatch does the rest: a
// BOOKMARK only moves its resourceVersion (cache.js `watchHandler`), a watch the server ends is reopened
// from that resourceVersion, and only a 410 Gone clears it for a relist.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { WATCH_INACTIVITY_TIMEOUT_MS, watchTimeoutSeconds } from './watch-schedule.js';

type QueryParams = Record<string, string | number | boolean | undefined>;

/**
 * Metadata alone, as client-go's metadata client asks for it (k8s.io/client-go/metadata): kube-apiserver
 * answers a list with a meta.k8s.io/v1 PartialObjectMetadataList and a get or watch with
 * PartialObjectMetadata objects (apiserver pkg/endpoints/handlers/response.go).
 */
export const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1';
export const METADATA_OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

export class CacheWatch<T> extends Watch {
  private stopped = false;

  constructor(
    kc: KubeConfig,
    private readonly trim: (obj: T) => T,
    /** The watch's Accept header (client-node's Watch sends none): METADATA_OBJECT for metadata only. */
    accept?: string,
  ) {
    super(accept === undefined ? kc : withAccept(kc, accept));
    // client-node 2.0.1 reads its inactivity timeout from this field on every watch() but types it private
    // and offers no setter (dist/watch.js). Should a later version rename it, quiet watches would be cut every
    // 30 s again: test/kube/idle-watches.test.ts counts the reconnections and would fail.
    (this as unknown as { requestTimeoutMs: number }).requestTimeoutMs = WATCH_INACTIVITY_TIMEOUT_MS;
  }

  override async watch(
    path: string,
    queryParams: QueryParams,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    // ERROR carries a Status and BOOKMARK only a resourceVersion: neither is an object to keep.
    const trimmed = (phase: string, apiObj: unknown, watchObj?: unknown): void => {
      const keep = phase === 'ERROR' || phase === 'BOOKMARK' ? apiObj : this.trim(apiObj as T);
      callback(phase, keep, watchObj);
    };
    const query = { ...queryParams, allowWatchBookmarks: true, timeoutSeconds: watchTimeoutSeconds() };
    if (this.isStopped()) return stoppedController();
    const controller = await super.watch(path, query, trimmed, done);
    // ListWatch.stop() aborts only a watch that has finished connecting (cache.js `_stop`): one that
    // opened after the stop would otherwise live until its timeoutSeconds and keep the process alive.
    if (this.isStopped()) controller.abort();
    return controller;
  }

  /** A method, not the field: stop() may have run while the watch was connecting. */
  private isStopped(): boolean {
    return this.stopped;
  }

  /** From now on no watch stays open: one still connecting is closed as soon as it opens. */
  stop(): void {
    this.stopped = true;
  }

  resume(): void {
    this.stopped = false;
  }
}

/**
 * The kubeconfig, with `accept` set on every request it authenticates: client-node's Watch builds its
 * request headers from applySecurityAuthentication alone (dist/watch.js).
 */
function withAccept(kc: KubeConfig, accept: string): KubeConfig {
  const derived = Object.create(kc) as KubeConfig;
  derived.applySecurityAuthentication = async (ctx) => {
    await kc.applySecurityAuthentication(ctx);
    ctx.setHeaderParam('Accept', accept);
  };
  return derived;
}

function stoppedController(): AbortController {
  const controller = new AbortController();
  controller.abort();
  return controller;
}

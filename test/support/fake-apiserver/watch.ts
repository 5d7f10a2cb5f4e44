/**
 * Watch streams (https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes):
 * one JSON event per line. Without a resourceVersion (or with "0") the stream starts with synthetic ADDED
 * events for the current objects; with one, it replays history after it, or, when that history was compacted,
 * sends a single ERROR event carrying a 410 Expired Status and ends (as the watch cache does). Selectors
 * filter with transitions: an object that stops matching is sent as DELETED, one that starts as ADDED.
 * A watch that allows bookmarks gets one every bookmark period and one just before its `timeoutSeconds`
 * deadline (bookmark-schedule.ts); at the deadline the server ends the stream.
 */
import type { ServerResponse } from 'node:http';
import { DEFAULT_BOOKMARK_PERIOD_MS, nextBookmarkDelay } from './bookmark-schedule.js';
import { badRequest, expired } from './status-errors.js';
import type { Store, StoreEvent } from './store.js';
import type { KubeObject } from './types.js';

export interface WatchRequest {
  key: string;
  namespace: string | undefined;
  resourceVersion: string | undefined;
  matches: (obj: KubeObject) => boolean;
  /** Shapes an object for the client (apiVersion of the requested version). */
  present: (obj: KubeObject) => KubeObject;
  allowBookmarks: boolean;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
  /** kind and apiVersion of BOOKMARK objects. */
  kind: string;
  apiVersion: string;
}

interface OpenWatch {
  request: WatchRequest;
  res: ServerResponse;
  close: () => void;
}

type WireEvent = { type: string; object: unknown };

export class WatchHub {
  private readonly open = new Set<OpenWatch>();

  constructor(
    private readonly store: Store,
    /** How often a watch that allows bookmarks gets one (kube-apiserver: about a minute). */
    private readonly bookmarkPeriodMs = DEFAULT_BOOKMARK_PERIOD_MS,
  ) {}

  serve(request: WatchRequest, res: ServerResponse): void {
    const rv = request.resourceVersion;
    // Before any header: a malformed resourceVersion is a plain 400, not an event in the stream.
    if (rv !== undefined && rv !== '' && !/^\d+$/.test(rv))
      throw badRequest(`invalid resource version: ${rv}`);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    // Headers go out now: a client waits for them before it reads events, and a quiet watch has none yet.
    res.flushHeaders();
    const send = (event: WireEvent): void => {
      res.write(`${JSON.stringify(event)}\n`);
    };
    const start = this.startingPoint(request);
    if ('error' in start) {
      send({ type: 'ERROR', object: start.error });
      res.end();
      return;
    }
    for (const event of start.events) send(event);
    if (request.sendInitialEvents && request.allowBookmarks) send(this.bookmark(request, true));
    // Subscribing in the same tick as reading history: no event can fall between the two.
    const unsubscribe = this.store.subscribe((event) => {
      const wire = translate(request, event);
      if (wire) send(wire);
    });
    const timeoutMs = request.timeoutSeconds !== undefined ? request.timeoutSeconds * 1000 : undefined;
    const timer =
      timeoutMs !== undefined
        ? setTimeout(() => {
            close();
          }, timeoutMs)
        : undefined;
    const stopBookmarks = request.allowBookmarks
      ? this.scheduleBookmarks(timeoutMs, () => {
          send(this.bookmark(request, false));
        })
      : undefined;
    const watch: OpenWatch = {
      request,
      res,
      close: () => {
        close();
      },
    };
    const close = (): void => {
      if (!this.open.delete(watch)) return;
      unsubscribe();
      if (timer) clearTimeout(timer);
      stopBookmarks?.();
      res.end();
    };
    this.open.add(watch);
    res.on('close', close);
  }

  /** Sends a bookmark on the cacher's schedule until the returned function is called. */
  private scheduleBookmarks(timeoutMs: number | undefined, sendBookmark: () => void): () => void {
    let elapsed = 0;
    let timer: NodeJS.Timeout | undefined;
    const next = (): void => {
      const delay = nextBookmarkDelay(elapsed, this.bookmarkPeriodMs, timeoutMs);
      if (delay === undefined) return;
      // Elapsed time is counted in scheduled delays, not read from Date, so that bookmarks follow the same
      // clock as the timers that end the watch.
      elapsed += delay;
      timer = setTimeout(() => {
        sendBookmark();
        next();
      }, delay);
    };
    next();
    return () => {
      if (timer) clearTimeout(timer);
    };
  }

  /** Sends a BOOKMARK with the current resourceVersion on every watch that asked for bookmarks. */
  sendBookmarks(): void {
    for (const watch of this.open) {
      if (watch.request.allowBookmarks)
        watch.res.write(`${JSON.stringify(this.bookmark(watch.request, false))}\n`);
    }
  }

  /** Ends every open watch, as an API server restart or a load balancer timeout would. */
  closeAll(): void {
    for (const watch of [...this.open]) watch.close();
  }

  /** Ends the watches of one resource (its CRD was deleted: the resource is no longer served). */
  closeResource(key: string): void {
    for (const watch of [...this.open]) if (watch.request.key === key) watch.close();
  }

  count(): number {
    return this.open.size;
  }

  private startingPoint(request: WatchRequest): { events: WireEvent[] } | { error: unknown } {
    const rv = request.resourceVersion;
    // A streaming list (sendInitialEvents=true) starts with the whole current state whatever its
    // resourceVersion (NotOlderThan): the watch cache replays no history for it (cacher.go `Watch`).
    if (rv === undefined || rv === '' || rv === '0' || request.sendInitialEvents) {
      const objects = this.store.list(request.key, request.namespace).filter(request.matches);
      return { events: objects.map((o) => ({ type: 'ADDED', object: request.present(o) })) };
    }
    const from = Number(rv);
    const events = this.store.eventsSince(request.key, from);
    if ('compacted' in events) {
      return { error: expired(`too old resource version: ${from} (${events.oldest})`).toStatus() };
    }
    return {
      events: events.map((e) => translate(request, e)).filter((e): e is WireEvent => e !== undefined),
    };
  }

  private bookmark(request: WatchRequest, initialEnd: boolean): WireEvent {
    const metadata: Record<string, unknown> = { resourceVersion: String(this.store.currentRv()) };
    // The watch-list protocol marks the end of the initial events with this annotation (KEP-3157).
    if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
    return { type: 'BOOKMARK', object: { kind: request.kind, apiVersion: request.apiVersion, metadata } };
  }
}

/** One store event as this watch sees it, after namespace and selector filtering. */
function translate(request: WatchRequest, event: StoreEvent): WireEvent | undefined {
  if (event.key !== request.key) return undefined;
  const ns = event.object.metadata.namespace;
  if (request.namespace !== undefined && ns !== request.namespace) return undefined;
  const now = event.type !== 'DELETED' && request.matches(event.object);
  const before = event.prev !== undefined && request.matches(event.prev);
  if (event.type === 'DELETED')
    return before ? { type: 'DELETED', object: request.present(event.object) } : undefined;
  if (now && before) return { type: 'MODIFIED', object: request.present(event.object) };
  if (now) return { type: 'ADDED', object: request.present(event.object) };
  if (before) return { type: 'DELETED', object: request.present(event.object) };
  return undefined;
}

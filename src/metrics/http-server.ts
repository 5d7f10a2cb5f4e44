// The operator's HTTP endpoints: `/metrics` for Prometheus, `/healthz` (the process answers: liveness) and
// `/readyz` (the operator can do its job: readiness, decided by the operator, e.g. once caches synced).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { expositionChunks } from './exposition.js';

export type Readiness = { ready: true } | { ready: false; reason: string };

export interface MetricsServerOptions {
  registry: Registry;
  readiness: () => Readiness;
  /** Default: every address, IPv6 and IPv4 where available (Node's default; scraped from other pods). */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
}

export interface MetricsServer {
  /** Resolves to the bound address, e.g. `http://127.0.0.1:41234`. */
  listen(): Promise<string>;
  /** Stops accepting and drops open (keep-alive) connections, so the process can exit. */
  close(): Promise<void>;
}

export function createMetricsServer(options: MetricsServerOptions): MetricsServer {
  const server = createServer((req, res) => {
    if (isMetrics(req)) {
      void serveMetrics(options.registry, req, res);
      return;
    }
    let reply: Reply;
    try {
      reply = route(options, req);
    } catch (err) {
      reply = { status: 500, body: `error: ${errorMessage(err)}\n` };
    }
    send(req, res, reply);
  });
  return {
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen({ port: options.port ?? 8080, host: options.host }, () => {
          server.off('error', reject);
          const { address, port } = server.address() as AddressInfo;
          resolve(`http://${address.includes(':') ? `[${address}]` : address}:${port}`);
        });
      }),
    close: () =>
      new Promise((resolve, reject) => {
        if (!server.listening) {
          resolve();
          return;
        }
        server.close((err) => {
          if (err) reject(err);
          else resolve();
        });
        server.closeAllConnections();
      }),
  };
}

interface Reply {
  status: number;
  body: string;
  contentType?: string;
  headers?: Record<string, string>;
}

function route(options: MetricsServerOptions, req: IncomingMessage): Reply {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return { status: 405, body: 'method not allowed\n', headers: { Allow: 'GET, HEAD' } };
  }
  switch (new URL(req.url ?? '/', 'http://localhost').pathname) {
    case '/healthz':
      return { status: 200, body: 'ok\n' };
    case '/readyz': {
      const r = options.readiness();
      return r.ready ? { status: 200, body: 'ok\n' } : { status: 503, body: `not ready: ${r.reason}\n` };
    }
    default:
      return { status: 404, body: 'not found\n' };
  }
}

function isMetrics(req: IncomingMessage): boolean {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  return path === '/metrics' && (req.method === 'GET' || req.method === 'HEAD');
}

/**
 * Streams the exposition (exposition.ts) with backpressure. A registry that fails before its first chunk
 * gets a 500 with the reason; one that fails later can only cut the response short, which Prometheus
 * reports as a failed scrape.
 */
async function serveMetrics(registry: Registry, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks = expositionChunks(registry);
  let first: IteratorResult<string>;
  try {
    first = await chunks.next();
  } catch (err) {
    send(req, res, { status: 500, body: `error: ${errorMessage(err)}\n` });
    return;
  }
  res.writeHead(200, { 'Content-Type': registry.contentType });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  try {
    for (let next = first; !next.done; next = await chunks.next()) {
      if (!res.write(next.value)) await drainedOrClosed(res);
      if (res.destroyed) return;
    }
    res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/** Resolves when the client has taken what was written, or has gone; leaves no listener behind. */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'Content-Type': reply.contentType ?? 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(reply.body),
  });
  res.end(req.method === 'HEAD' ? undefined : reply.body);
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// A counting HTTP proxy on 127.0.0.1 in front of the FAKE API server. The fake records only *distinct*
// (verb, resource) per identity (its RBAC usage), so a benchmark that wants request counts puts this
// between the operator and the server: every request is forwarded unchanged (watches stream through) and
// recorded with its verb, resource, object and answer. Only the operator is pointed at it, so the FAKE
// kubelet's own traffic is not counted.
import {
  Agent,
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RequestRecord {
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection. */
  verb: string;
  /** `pods`, `pods/log`, `connectivitytests/status`, ...; `-` for non-resource paths. */
  resource: string;
  namespace: string;
  name: string;
  /** HTTP status of the answer; 0 while a watch is still open or when the upstream failed. */
  code: number;
  /** `metadata.labels` of a created object (the body is read only for creates). */
  labels?: Record<string, string>;
}

export class CountingProxy {
  readonly records: RequestRecord[] = [];
  private readonly agent = new Agent({ keepAlive: true });

  private readonly server: Server;

  private constructor(private readonly upstream: URL) {
    this.server = createServer((req, res) => {
      this.forward(req, res);
    });
  }

  static async start(upstream: string): Promise<CountingProxy> {
    const proxy = new CountingProxy(new URL(upstream));
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Ends open watches and keep-alive sockets on both sides, so no handle outlives the benchmark. */
  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server.close(() => {
        resolve();
      }),
    );
    this.agent.destroy();
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const record = describe(req.method ?? 'GET', req.url ?? '/');
    this.records.push(record);
    if (record.verb === 'create') captureLabels(req, record);
    const up = request(
      {
        host: this.upstream.hostname,
        port: this.upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: this.agent,
      },
      (upRes) => {
        record.code = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        // Send the headers now: a watch's first bytes may be a minute away (a bookmark), and the client
        // counts its watch as open only once the headers have come.
        res.flushHeaders();
        upRes.pipe(res);
      },
    );
    // A client that gives up (a watch it aborts) or an upstream that goes away must not crash the bench.
    up.on('error', () => res.destroy());
    res.on('close', () => up.destroy());
    req.pipe(up);
  }
}

/** Reads the created object's labels from the request body while it streams through to the server. */
function captureLabels(req: IncomingMessage, record: RequestRecord): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        metadata?: { labels?: Record<string, string> };
      };
      if (body.metadata?.labels) record.labels = body.metadata.labels;
    } catch {
      // Not JSON: nothing to learn, the request is still counted.
    }
  });
}

/**
 * The Kubernetes request attributes of a path, as kube-apiserver's RequestInfoFactory derives them:
 * /api/v1[/namespaces/NS]/RESOURCE[/NAME[/SUB]] and /apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME[/SUB]].
 */
export function describe(method: string, url: string): RequestRecord {
  const u = new URL(url, 'http://x');
  const parts = u.pathname.split('/').filter(Boolean);
  const prefix = parts[0] === 'api' ? 2 : parts[0] === 'apis' ? 3 : -1;
  if (prefix < 0 || parts.length <= prefix)
    return { verb: method.toLowerCase(), resource: '-', namespace: '', name: '', code: 0 };
  let rest = parts.slice(prefix);
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1] ?? '';
    rest = rest.slice(2);
  }
  const [resource = '', name = '', sub] = rest;
  const watch = ['1', 'true'].includes(u.searchParams.get('watch') ?? '');
  const verb = verbOf(method, name !== '', watch);
  return { verb, resource: sub ? `${resource}/${sub}` : resource, namespace, name, code: 0 };
}

function verbOf(method: string, named: boolean, watch: boolean): string {
  switch (method) {
    case 'GET':
      return watch ? 'watch' : named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return method.toLowerCase();
  }
}

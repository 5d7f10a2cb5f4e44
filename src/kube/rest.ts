// Calls to the API server with client-node's credentials and transport (kubeconfig, in-cluster token,
// exec plugins, TLS, proxies), sending and receiving the wire JSON as it is. The generated API classes
// turned every answer into model class instances that the caches then had to serialize back to the wire
// shape (a NetworkPolicy peer list is `_from` in the models): the operator benchmark's CPU profile had
// that round trip as its busiest code, and the models are most of the client's code.
import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
} from '@kubernetes/client-node';
import { KubeApiError, parseStatus } from './api-error.js';
import { SharedConnections } from './shared-connections.js';
import { abortReason } from '../utils/abort-reason.js';

export const MERGE_PATCH = 'application/merge-patch+json';

export interface Call {
  /** For errors and metrics: the API verb and resource, e.g. `create` `pods`. */
  verb: string;
  resource: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** From the server's root, e.g. `/api/v1/namespaces/prod/pods`; segments already escaped. */
  path: string;
  query?: Record<string, string>;
  body?: object;
  contentType?: string;
  /** The media type asked for; default JSON (`metadataOnly`: metadata alone, see cache-watch.ts). */
  accept?: string;
  /** Ends the call early (a run's deadline, Ctrl-C); the call's own timeout applies either way. */
  signal?: AbortSignal;
}

export class KubeRest {
  private readonly http = new IsomorphicFetchHttpLibrary();
  private readonly connections = new SharedConnections();

  constructor(
    private readonly kc: KubeConfig,
    private readonly timeoutMs: number,
  ) {}

  /** The answer's body as text; a non-2xx answer or a failed request throws a KubeApiError. */
  async text(call: Call): Promise<string> {
    const ctx = await this.context(call);
    let status: number;
    let body: string;
    try {
      const response = await this.http.send(ctx).toPromise();
      status = response.httpStatusCode;
      body = await response.body.text();
    } catch (err) {
      const message = unreachable(ctx.getUrl(), this.timeoutMs, call.signal, err);
      throw new KubeApiError(call.verb, call.resource, 0, '', message, { cause: err });
    }
    if (status >= 200 && status < 300) return body;
    const parsed = parseStatus(body);
    const message = parsed.message ?? `HTTP ${status}`;
    throw new KubeApiError(call.verb, call.resource, status, parsed.reason ?? '', message);
  }

  /** The answer parsed as JSON (an object: every call we make answers one). */
  async json<T extends object>(call: Call): Promise<T> {
    const text = await this.text(call);
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null)
      throw new KubeApiError(
        call.verb,
        call.resource,
        0,
        '',
        `expected a JSON object, got ${text.slice(0, 80)}`,
      );
    return value as T;
  }

  /** The current context's server URL ('' when there is none). */
  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  close(): Promise<void> {
    return this.connections.close();
  }

  private async context(call: Call): Promise<RequestContext> {
    const server = this.kc.getCurrentCluster()?.server;
    if (!server)
      throw new KubeApiError(call.verb, call.resource, 0, '', 'no current cluster in the kubeconfig');
    const url = new URL(server.replace(/\/+$/, '') + call.path);
    for (const [name, value] of Object.entries(call.query ?? {})) url.searchParams.set(name, value);
    const ctx = new RequestContext(url.toString(), HttpMethod[call.method]);
    ctx.setHeaderParam('Accept', call.accept ?? 'application/json');
    if (call.body) {
      ctx.setHeaderParam('Content-Type', call.contentType ?? 'application/json');
      ctx.setBody(JSON.stringify(call.body));
    }
    await this.kc.applySecurityAuthentication(ctx);
    this.connections.apply(ctx);
    // A deadline on every call: the client sets none (stack.md). The caller's signal can end it sooner,
    // also while it is still connecting.
    const timeout = AbortSignal.timeout(this.timeoutMs);
    ctx.setSignal(call.signal ? AbortSignal.any([timeout, call.signal]) : timeout);
    return ctx;
  }
}

/**
 * Why no answer arrived, naming the server and the system error (errno) where there is one: undici's
 * fetch says only "fetch failed" and keeps the reason (`connect ECONNREFUSED 10.0.0.1:6443`) in its cause.
 */
function unreachable(url: string, timeoutMs: number, signal: AbortSignal | undefined, err: unknown): string {
  const server = new URL(url).origin;
  if (signal?.aborted) return `no answer from ${server} before the call was stopped: ${abortReason(signal)}`;
  if (err instanceof Error && err.name === 'TimeoutError')
    return `no answer from ${server} within ${timeoutMs / 1000}s`;
  return `cannot reach ${server}: ${systemError(err)}`;
}

/** The innermost cause's message, with its error code when the message does not already say it. */
function systemError(err: unknown): string {
  let inner: unknown = err;
  while (inner instanceof Error && inner.cause instanceof Error) inner = inner.cause;
  if (inner instanceof AggregateError && inner.errors[0] instanceof Error) inner = inner.errors[0];
  if (!(inner instanceof Error)) return String(inner);
  const code = (inner as { code?: unknown }).code;
  return typeof code === 'string' && !inner.message.includes(code)
    ? `${inner.message} (${code})`
    : inner.message;
}

/** A path segment (a name or namespace) as it goes into a URL. */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

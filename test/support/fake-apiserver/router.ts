/**
 * The request pipeline, in kube-apiserver's order: authenticate (401), authorize with RBAC (403, and record
 * the use), injected faults, then non-resource paths (discovery, health) or a resource verb. Writes run one
 * at a time, as etcd serializes them, so a resourceVersion check and its write cannot interleave.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TokenAuthenticator } from './authentication.js';
import { discoveryDoc } from './discovery.js';
import type { Faults } from './faults.js';
import { readBody, sendError, sendJson, sendText } from './http-io.js';
import { checkBodySize } from './size-limits.js';
import { openApiGroupVersion, openApiRoot } from './openapi.js';
import { forbiddenError, type RbacAuthorizer, type UsageRecorder } from './rbac.js';
import { requestInfo, type RequestInfo } from './request-info.js';
import type { RequestLog } from './request-log.js';
import * as handlers from './resource-handlers.js';
import type { ResourceRegistry } from './resources.js';
import { wantsTable } from './table.js';
import { wantsMetadata } from './partial-metadata.js';
import { badRequest, methodNotAllowed, resourceNotFound, unauthorized } from './status-errors.js';

export interface RouterDeps extends handlers.HandlerDeps {
  registry: ResourceRegistry;
  authenticator: TokenAuthenticator;
  authorizer: RbacAuthorizer;
  usage: UsageRecorder;
  requests: RequestLog;
  faults: Faults;
  /** Waits `ms` (fault injection only); the server cancels it on stop. */
  delay: (ms: number) => Promise<void>;
  host: () => string;
}

type Handler = (deps: handlers.HandlerDeps, r: handlers.ResourceRequest) => void | Promise<void>;

const HANDLERS: Partial<Record<string, Handler>> = {
  get: handlers.handleGet,
  list: handlers.handleList,
  watch: handlers.handleWatch,
  create: handlers.handleCreate,
  update: handlers.handleUpdate,
  patch: handlers.handlePatch,
  delete: handlers.handleDelete,
  deletecollection: handlers.handleDeleteCollection,
};

const WRITES = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export class Router {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: RouterDeps) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://fake.invalid');
      const info = requestInfo(req.method ?? 'GET', url);
      this.deps.requests.record(info, url, req.headers.accept);
      const user = this.deps.authenticator.authenticate(req.headers.authorization);
      if (!user) throw unauthorized();
      const allowed = this.deps.authorizer.allows(user, info);
      this.deps.usage.record(user, info, allowed);
      if (!allowed) throw forbiddenError(user, info);
      const latency = this.deps.faults.latencyFor(info);
      if (latency > 0) await this.deps.delay(latency);
      const fault = this.deps.faults.takeFailure(info);
      if (fault) throw fault;
      const body = await readBody(req);
      checkBodySize(body);
      if (!info.isResourceRequest) {
        this.nonResource(info, res);
        return;
      }
      if (url.searchParams.has('dryRun')) throw badRequest('dryRun is not supported by this fake API server');
      const request = { ...this.resourceRequest(info, url, req, body, res), user };
      if (WRITES.has(info.verb)) await this.serialized(() => this.dispatch(request));
      else await this.dispatch(request);
    } catch (error) {
      sendError(res, error);
    }
  }

  private nonResource(info: RequestInfo, res: ServerResponse): void {
    if (['/healthz', '/livez', '/readyz'].includes(info.path)) {
      sendText(res, 200, 'ok');
      return;
    }
    if (info.verb === 'get' && info.path.startsWith('/openapi/v3')) {
      this.openApi(info.path, res);
      return;
    }
    const doc =
      info.verb === 'get' ? discoveryDoc(this.deps.registry, info.path, this.deps.host()) : undefined;
    if (!doc) throw resourceNotFound();
    sendJson(res, 200, doc);
  }

  private openApi(path: string, res: ServerResponse): void {
    const rest = path.replace(/^\/openapi\/v3\/?/, '');
    const doc = rest === '' ? openApiRoot(this.deps.registry) : openApiGroupVersion(this.deps.registry, rest);
    if (!doc) throw resourceNotFound();
    sendJson(res, 200, doc);
  }

  private resourceRequest(
    info: RequestInfo,
    url: URL,
    req: IncomingMessage,
    body: string,
    res: ServerResponse,
  ): Omit<handlers.ResourceRequest, 'user'> {
    const def = this.deps.registry.find(info.apiGroup, info.apiVersion, info.resource);
    if (!def) throw resourceNotFound();
    // A cluster-scoped resource under /namespaces/NS/... does not exist (the namespace resource aside).
    if (!def.namespaced && info.namespace !== '' && info.resource !== 'namespaces') throw resourceNotFound();
    if (def.namespaced && info.namespace === '' && info.name !== '') throw resourceNotFound();
    const contentType = req.headers['content-type'] ?? '';
    const { accept } = req.headers;
    const metadataAs = wantsMetadata(accept);
    return { info, url, def, body, contentType, table: wantsTable(accept), metadataAs, res };
  }

  private async dispatch(r: handlers.ResourceRequest): Promise<void> {
    const handler = HANDLERS[r.info.verb];
    if (!handler) throw methodNotAllowed('the server does not allow this method on the requested resource');
    await handler(this.deps, r);
  }

  private serialized(fn: () => Promise<void>): Promise<void> {
    const run = this.writes.then(fn, fn);
    this.writes = run.catch(() => undefined);
    return run;
  }
}

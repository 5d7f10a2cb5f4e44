/**
 * Every resource request the server received, in order, with the query parameters that shape a list or a
 * watch. The RBAC usage record keeps only distinct requests; tests that count (how many LISTs and WATCHes a
 * cache made while idle) or read a watch's parameters (its resourceVersion, timeoutSeconds) read this.
 */
import type { RequestMatch } from './faults.js';
import type { RequestInfo } from './request-info.js';

export interface LoggedRequest {
  verb: string;
  group: string;
  resource: string;
  subresource: string;
  namespace: string;
  /** The query string as sent (watch, resourceVersion, timeoutSeconds, allowWatchBookmarks, ...). */
  query: Record<string, string>;
  /** The Accept header ('' when none): JSON, a Table, or metadata only. */
  accept: string;
}

export class RequestLog {
  private readonly entries: LoggedRequest[] = [];

  /** Paths of non-resource requests (discovery, health, OpenAPI), oldest first. */
  private readonly paths: string[] = [];

  record(info: RequestInfo, url: URL, accept = ''): void {
    if (!info.isResourceRequest) {
      this.paths.push(info.path);
      return;
    }
    this.entries.push({
      verb: info.verb,
      group: info.apiGroup,
      resource: info.resource,
      subresource: info.subresource,
      namespace: info.namespace,
      query: Object.fromEntries(url.searchParams),
      accept,
    });
  }

  /** Non-resource requests (discovery documents, health, OpenAPI) by path, oldest first. */
  nonResourcePaths(): string[] {
    return [...this.paths];
  }

  /** The requests that match (all of them without `match`), oldest first. */
  requests(match: RequestMatch = {}): LoggedRequest[] {
    return this.entries.filter(
      (e) =>
        (match.verb === undefined || match.verb === e.verb) &&
        (match.group === undefined || match.group === e.group) &&
        (match.resource === undefined || match.resource === e.resource) &&
        (match.subresource === undefined || match.subresource === e.subresource) &&
        (match.namespace === undefined || match.namespace === e.namespace),
    );
  }
}

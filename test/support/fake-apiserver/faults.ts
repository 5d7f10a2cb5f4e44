/**
 * Fault injection for tests: fail the next N matching requests (500, 503, or 429 with Retry-After), slow
 * requests down, close every open watch early, compact history so older resourceVersions answer 410.
 */
import type { RequestInfo } from './request-info.js';
import {
  ApiStatusError,
  forbidden,
  internalError,
  resourceNotFound,
  tooManyRequests,
} from './status-errors.js';

export interface RequestMatch {
  verb?: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  /**
   * A non-resource path, exactly (`/apis`, `/apis/cilium.io/v2`): discovery of a group version whose
   * aggregated API server is down answers 503 (kube-aggregator pkg/apiserver/handler_proxy.go).
   */
  path?: string;
}

export interface FailSpec extends RequestMatch {
  /** How many matching requests fail; default 1. */
  times?: number;
  /**
   * 500 (InternalError, the default), 429 (TooManyRequests), 503 (ServiceUnavailable), or 404 as
   * kube-apiserver answers for a resource it does not serve (e.g. an apiserver whose discovery lags a CRD),
   * or 403 as an authorizer the fake does not model answers (e.g. Calico's API server checking its tiers).
   */
  code?: 500 | 429 | 503 | 404 | 403;
  /** Retry-After for 429/503; default 1. */
  retryAfterSeconds?: number;
}

interface FailRule extends FailSpec {
  remaining: number;
}

interface LatencyRule extends RequestMatch {
  ms: number;
}

function matches(match: RequestMatch, info: RequestInfo): boolean {
  return (
    (match.verb === undefined || match.verb === info.verb) &&
    (match.group === undefined || match.group === info.apiGroup) &&
    (match.resource === undefined || match.resource === info.resource) &&
    (match.subresource === undefined || match.subresource === info.subresource) &&
    (match.namespace === undefined || match.namespace === info.namespace) &&
    (match.path === undefined || (!info.isResourceRequest && match.path === info.path))
  );
}

function failure(rule: FailRule, info: RequestInfo): ApiStatusError {
  if (rule.code === 403)
    return forbidden(
      { group: info.apiGroup, resource: info.resource },
      '',
      'injected: the request is refused',
    );
  const retry = rule.retryAfterSeconds ?? 1;
  if (rule.code === 429) return tooManyRequests(retry);
  if (rule.code === 404) return resourceNotFound();
  if (rule.code === 503)
    return new ApiStatusError(
      503,
      'ServiceUnavailable',
      'the server is currently unable to handle the request',
      {
        retryAfterSeconds: retry,
      },
    );
  return internalError('injected fault');
}

/** What the server lends the fault injector to act on its state. */
export interface FaultTargets {
  closeWatches: () => void;
  compact: (throughRv?: number) => void;
}

export class Faults {
  private failRules: FailRule[] = [];
  private latencyRules: LatencyRule[] = [];

  constructor(private readonly targets: FaultTargets) {}

  /** Ends every open watch now; clients re-watch from their last resourceVersion. */
  closeWatches(): void {
    this.targets.closeWatches();
  }

  /** Forgets history up to `throughRv` (default: all); watches and exact lists from before get 410 Expired. */
  compact(throughRv?: number): void {
    this.targets.compact(throughRv);
  }

  /** Fails the next `times` requests that match. */
  failNext(spec: FailSpec): void {
    this.failRules.push({ ...spec, remaining: spec.times ?? 1 });
  }

  /** Delays every matching request by `ms` before it is served. */
  addLatency(ms: number, match: RequestMatch = {}): void {
    this.latencyRules.push({ ...match, ms });
  }

  clear(): void {
    this.failRules = [];
    this.latencyRules = [];
  }

  /** The injected error for this request, consuming one use of its rule. */
  takeFailure(info: RequestInfo): ApiStatusError | undefined {
    const rule = this.failRules.find((r) => r.remaining > 0 && matches(r, info));
    if (!rule) return undefined;
    rule.remaining--;
    return failure(rule, info);
  }

  latencyFor(info: RequestInfo): number {
    return this.latencyRules.filter((r) => matches(r, info)).reduce((sum, r) => sum + r.ms, 0);
  }
}

/**
 * Errors as kube-apiserver writes them: a `Status` object (kind Status, apiVersion v1, status Failure)
 * with reason, code, message and details. Constructors mirror k8s.io/apimachinery/pkg/api/errors/errors.go
 * (NewNotFound, NewAlreadyExists, NewConflict, NewInvalid, NewForbidden, NewGone, ...), messages included.
 */
import type { FieldCause } from './types.js';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: FieldCause[];
  retryAfterSeconds?: number;
}

/** A Status's ListMeta: only an expired continue token sets it (a token to go on with, inconsistently). */
export interface StatusListMeta {
  continue?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: StatusListMeta;
  status: 'Failure';
  message: string;
  reason: string;
  details?: StatusDetails;
  code: number;
}

/** Thrown inside the fake; the router turns it into the Status response. */
export class ApiStatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
    readonly listMeta: StatusListMeta = {},
  ) {
    super(message);
    this.name = 'ApiStatusError';
  }

  toStatus(): StatusBody {
    const body: StatusBody = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: { ...this.listMeta },
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) body.details = this.details;
    return body;
  }
}

/** The group-qualified resource as errors print it: `pods`, `connectivitytests.flowprobe.dev`. */
export interface QualifiedResource {
  group: string;
  resource: string;
}

export function qualified(gr: QualifiedResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** StatusDetails as kube serializes them: empty group omitted (omitempty). */
function detailsOf(gr: QualifiedResource, name: string): StatusDetails {
  return {
    ...(name === '' ? {} : { name }),
    ...(gr.group === '' ? {} : { group: gr.group }),
    kind: gr.resource,
  };
}

export function notFound(gr: QualifiedResource, name: string): ApiStatusError {
  return new ApiStatusError(404, 'NotFound', `${qualified(gr)} "${name}" not found`, detailsOf(gr, name));
}

/** An unknown path (resource or subresource the server does not serve): NewGenericServerResponse 404. */
export function resourceNotFound(): ApiStatusError {
  return new ApiStatusError(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function alreadyExists(gr: QualifiedResource, name: string): ApiStatusError {
  return new ApiStatusError(
    409,
    'AlreadyExists',
    `${qualified(gr)} "${name}" already exists`,
    detailsOf(gr, name),
  );
}

export function conflict(gr: QualifiedResource, name: string, why: string): ApiStatusError {
  return new ApiStatusError(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(gr)} "${name}": ${why}`,
    detailsOf(gr, name),
  );
}

/** The message of a stale-resourceVersion conflict (registry/generic/registry/store.go, OptimisticLockErrorMsg). */
export const OPTIMISTIC_LOCK_MSG =
  'the object has been modified; please apply your changes to the latest version and try again';

/** NewInvalid: `Kind.group "name" is invalid: field: message, field2: message2`. */
export function invalid(kind: string, group: string, name: string, causes: FieldCause[]): ApiStatusError {
  const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
  const list = causes.map((c) => `${c.field}: ${c.message}`);
  const joined = list.length === 1 ? list[0]! : `[${list.join(', ')}]`;
  return new ApiStatusError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${joined}`, {
    ...(name === '' ? {} : { name }),
    ...(group === '' ? {} : { group }),
    kind,
    causes,
  });
}

export function forbidden(gr: QualifiedResource, name: string, why: string): ApiStatusError {
  const subject = name === '' ? qualified(gr) : `${qualified(gr)} "${name}"`;
  return new ApiStatusError(403, 'Forbidden', `${subject} is forbidden: ${why}`, detailsOf(gr, name));
}

/**
 * NewResourceExpired: kube-apiserver answers a too-old resourceVersion with code 410 and reason `Expired`
 * (metav1.StatusReasonExpired), both for watches (as an ERROR event) and for lists.
 */
export function expired(message: string, listMeta: StatusListMeta = {}): ApiStatusError {
  return new ApiStatusError(410, 'Expired', message, undefined, listMeta);
}

export function badRequest(message: string): ApiStatusError {
  return new ApiStatusError(400, 'BadRequest', message);
}

export function methodNotAllowed(message: string): ApiStatusError {
  return new ApiStatusError(405, 'MethodNotAllowed', message);
}

export function unsupportedMediaType(accepted: string[]): ApiStatusError {
  return new ApiStatusError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  );
}

export function unauthorized(): ApiStatusError {
  return new ApiStatusError(401, 'Unauthorized', 'Unauthorized');
}

export function internalError(message: string): ApiStatusError {
  return new ApiStatusError(500, 'InternalError', `Internal error occurred: ${message}`, {
    causes: [{ reason: '', message, field: '' }],
  });
}

export function tooManyRequests(retryAfterSeconds: number): ApiStatusError {
  return new ApiStatusError(429, 'TooManyRequests', 'Too many requests, please try again later.', {
    retryAfterSeconds,
  });
}

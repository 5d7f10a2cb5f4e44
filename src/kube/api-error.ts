// Errors from the API server, as one class the rest of the code can reason about without knowing the
// client library: the HTTP code, the Status reason, and whether a retry can help.

export class KubeApiError extends Error {
  constructor(
    readonly verb: string,
    readonly resource: string,
    /** HTTP status; 0 when no response arrived (connection refused, timeout). */
    readonly code: number,
    /** The Status object's reason (NotFound, Conflict, Forbidden, ...), or '' when there was none. */
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${verb} ${resource}: ${message}`, options);
    this.name = 'KubeApiError';
  }

  /** Server errors, throttling and lost connections pass; a conflict passes after a fresh read. */
  get retryable(): boolean {
    return this.code === 0 || this.code === 409 || this.code === 429 || this.code >= 500;
  }

  get notFound(): boolean {
    return this.code === 404;
  }

  get conflict(): boolean {
    return this.code === 409;
  }

  get alreadyExists(): boolean {
    return this.code === 409 && this.reason === 'AlreadyExists';
  }
}

/** Anything thrown on the way to the API server that is not already a KubeApiError: no answer arrived. */
export function toKubeApiError(verb: string, resource: string, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new KubeApiError(verb, resource, 0, '', message, { cause: err });
}

/** The message and reason of a Status answer body, where there is one. */
export function parseStatus(body: unknown): { message?: string; reason?: string } {
  const parsed: unknown = typeof body === 'string' ? safeJson(body) : body;
  if (typeof parsed !== 'object' || parsed === null) return {};
  const { message, reason } = parsed as Record<string, unknown>;
  return {
    ...(typeof message === 'string' ? { message } : {}),
    ...(typeof reason === 'string' ? { reason } : {}),
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

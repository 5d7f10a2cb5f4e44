// A reconcile failure that says whether a retry can help (STYLE.md: "retry later" and "give up" differ).

export class ReconcileError extends Error {
  constructor(
    message: string,
    /** False when retrying cannot help (e.g. the spec is invalid): wait for the object to change. */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ReconcileError';
  }
}

export function isRetryable(err: unknown): boolean {
  return !(err instanceof ReconcileError) || err.retryable;
}

// An Event the API server did not take. Events are best-effort (as client-go's recorders): the recorder
// hands this to its caller's hook instead of throwing, and a later occurrence of the event tries again.

export class EventWriteError extends Error {
  constructor(
    /** The Event's namespace and name. */
    readonly namespace: string,
    readonly eventName: string,
    /** The object the Event is about, and the Event's reason. */
    readonly regarding: string,
    readonly reason: string,
    options: { cause: unknown },
  ) {
    const why = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`event ${reason} about ${namespace}/${regarding} not written: ${why}`, options);
    this.name = 'EventWriteError';
  }
}

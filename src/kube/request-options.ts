// Per-call options for the generated API: a deadline on every request (the generated calls have none,
// stack.md), for patches the content type that selects the patch strategy, and one connection pool.
import type { ConfigurationOptions, RequestContext, ResponseContext } from '@kubernetes/client-node';

export const MERGE_PATCH = 'application/merge-patch+json';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * client-node 2.0 builds a new undici Agent for every request from the kubeconfig's TLS options
 * (KubeConfig.applySecurityAuthentication; the same pattern as kubernetes-client/javascript#2893). Each
 * call then opens its own connection with a full TLS handshake, and the idle keep-alive sockets of
 * hundreds of Agents pile up: the operator benchmark found 95 Agents and 101 sockets alive at once. The
 * first dispatcher client-node builds is kept and handed to every later call, so connections are reused.
 * Credentials are unaffected: the Authorization header is still set per request (token files, exec
 * plugins); only a client certificate rotated on disk would need a restart to be picked up.
 */
export class SharedConnections {
  private dispatcher: Dispatcher | undefined;

  apply(ctx: RequestContext): void {
    const built = ctx.getDispatcher();
    if (this.dispatcher === undefined) this.dispatcher = built;
    else ctx.setDispatcher(this.dispatcher);
  }

  /** Closes the kept connections (at shutdown, so that no idle keep-alive socket holds the process). */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    await dispatcher?.close();
  }
}

/**
 * The generated code chains middleware as `middleware.pre(ctx).toPromise()` (its own small Observable
 * stand-in, which it does not export), so a middleware answers with an object that has `toPromise`.
 */
interface Settled<T> {
  toPromise(): Promise<T>;
}

function settled<T>(value: T): Settled<T> {
  const promise = Promise.resolve(value);
  return { toPromise: () => promise };
}

export function requestOptions(
  timeoutMs: number,
  connections: SharedConnections,
  contentType?: string,
): ConfigurationOptions {
  const middleware = {
    pre: (ctx: RequestContext) => {
      if (contentType) ctx.setHeaderParam('Content-Type', contentType);
      ctx.setSignal(AbortSignal.timeout(timeoutMs));
      connections.apply(ctx);
      return settled(ctx);
    },
    post: (response: ResponseContext) => settled(response),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' } as unknown as ConfigurationOptions;
}

// One connection pool for every call. client-node 2.0 builds a new undici Agent for each request from the
// kubeconfig's TLS options (KubeConfig.applySecurityAuthentication; the same pattern as
// kubernetes-client/javascript#2893). Each call then opened its own connection with a full TLS handshake,
// and the idle keep-alive sockets of hundreds of Agents piled up: the operator benchmark found 95 Agents
// and 101 sockets alive at once. The first dispatcher client-node builds is kept and handed to every later
// call. Credentials are unaffected: the Authorization header is still set per request (token files, exec
// plugins); only a client certificate rotated on disk would need a restart to be picked up.
import type { RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

export class SharedConnections {
  private dispatcher: Dispatcher | undefined;

  apply(ctx: RequestContext): void {
    const built = ctx.getDispatcher();
    if (this.dispatcher === undefined) this.dispatcher = built;
    else ctx.setDispatcher(this.dispatcher);
  }

  /**
   * Closes the kept connections (at shutdown, so that no idle keep-alive socket holds the process). It
   * destroys rather than closes: a graceful close waits for requests in flight, and a connect to a server
   * that never answers would hold `flowprobe run` past its deadline.
   */
  async close(): Promise<void> {
    const dispatcher = this.dispatcher;
    this.dispatcher = undefined;
    await dispatcher?.destroy();
  }
}

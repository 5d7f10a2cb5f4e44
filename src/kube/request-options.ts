// Per-call options for the generated API: a deadline on every request (the generated calls have none,
// stack.md) and, for patches, the content type that selects the patch strategy.
import type { ConfigurationOptions, RequestContext, ResponseContext } from '@kubernetes/client-node';

export const MERGE_PATCH = 'application/merge-patch+json';

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

export function requestOptions(timeoutMs: number, contentType?: string): ConfigurationOptions {
  const middleware = {
    pre: (ctx: RequestContext) => {
      if (contentType) ctx.setHeaderParam('Content-Type', contentType);
      ctx.setSignal(AbortSignal.timeout(timeoutMs));
      return settled(ctx);
    },
    post: (response: ResponseContext) => settled(response),
  };
  return { middleware: [middleware], middlewareMergeStrategy: 'append' } as unknown as ConfigurationOptions;
}

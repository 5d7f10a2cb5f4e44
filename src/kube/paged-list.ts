// A LIST in pages, as client-go's reflector makes it (tools/pager/pager.go, 500 objects a page by default):
// each page asks for `limit` objects and hands `metadata.continue` to the next; every page reads the first
// page's snapshot, so the pages together are one consistent list at one resourceVersion, from which the
// watch then starts. Each page is parsed and trimmed (trim.ts) before the next is fetched: only one page's
// wire objects exist at a time, never the whole list's — at 100k pods that body is hundreds of MB, more
// than a capped heap (or one V8 string) holds.
//
// When the first page's resourceVersion is compacted before the last page is read (a slow list of a large
// cluster on a busy server), the next page answers 410 Expired (apiserver etcd3/store.go
// `handleCompactedErrorForPaging`). client-go's pager then falls back to one unpaginated LIST
// (`FullListIfExpired`), the very request a capped heap cannot hold; here the list starts over from the
// first page instead, a few times, before the error goes to the caller (the informer's back-off). The
// server's offer of an "inconsistent" token to go on with is not taken: a cache built from it could miss
// changes that the watch from the last page's resourceVersion would never replay.

/** client-go's `defaultPageSize` (tools/pager/pager.go). */
export const PAGE_SIZE = 500;

/** Lists started over after an expired continue token before the 410 is handed on. */
const MAX_LIST_ATTEMPTS = 3;

export interface ListPage<T> {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: T[];
}

/** One page: the query carries `limit`, and `continue` from the second page on. */
export type FetchPage<T> = (query: Record<string, string>) => Promise<ListPage<T>>;

export interface PagedList<U> {
  /** The first page's resourceVersion: the snapshot every page was read from. */
  resourceVersion: string;
  items: U[];
}

export async function listInPages<T, U>(
  fetchPage: FetchPage<T>,
  trim: (obj: T) => U,
  pageSize = PAGE_SIZE,
): Promise<PagedList<U>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await listOnce(fetchPage, trim, pageSize);
    } catch (err) {
      if (!(err instanceof ExpiredContinueError) || attempt >= MAX_LIST_ATTEMPTS) throw unwrap(err);
    }
  }
}

/** A 410 on a page after the first: the snapshot is gone, the list must start over. */
class ExpiredContinueError extends Error {
  constructor(cause: unknown) {
    super('the continue token expired', { cause });
    this.name = 'ExpiredContinueError';
  }
}

function unwrap(err: unknown): unknown {
  return err instanceof ExpiredContinueError ? err.cause : err;
}

async function listOnce<T, U>(
  fetchPage: FetchPage<T>,
  trim: (obj: T) => U,
  pageSize: number,
): Promise<PagedList<U>> {
  const items: U[] = [];
  let resourceVersion: string | undefined;
  let token: string | undefined;
  do {
    const query: Record<string, string> = { limit: String(pageSize) };
    if (token !== undefined) query.continue = token;
    const page = await fetchPage(query).catch((err: unknown) => {
      throw token !== undefined && isGone(err) ? new ExpiredContinueError(err) : err;
    });
    resourceVersion ??= page.metadata?.resourceVersion ?? '';
    for (const obj of page.items ?? []) items.push(trim(obj));
    token = page.metadata?.continue || undefined;
  } while (token !== undefined);
  return { resourceVersion, items };
}

function isGone(err: unknown): boolean {
  return (err as { code?: unknown }).code === 410;
}

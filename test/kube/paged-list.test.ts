// listInPages (src/kube/paged-list.ts) against scripted pages: what it asks for, in what order it trims, and
// which errors start the list over. The FAKE here is the page function; the API server's side of the same
// behaviour is proven in test/kube/paged-lists.test.ts and test/fake-apiserver/paging.test.ts.
import { strict as assert } from 'node:assert';
import { KubeApiError } from '../../src/kube/index.js';
import { listInPages, type ListPage } from '../../src/kube/paged-list.js';

type Answer = ListPage<string> | KubeApiError;

const expired = () =>
  new KubeApiError('list', 'pods', 410, 'Expired', 'The provided continue parameter is too old');

/** A page function that answers from a script, logging each request's query. */
function scripted(answers: Answer[], log: string[]) {
  return (query: Record<string, string>): Promise<ListPage<string>> => {
    log.push(`fetch limit=${query.limit} continue=${query.continue ?? '-'}`);
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted pages');
    return answer instanceof KubeApiError ? Promise.reject(answer) : Promise.resolve(answer);
  };
}

const page = (rv: string, items: string[], next?: string): ListPage<string> => ({
  metadata: { resourceVersion: rv, ...(next ? { continue: next } : {}) },
  items,
});

describe('listInPages', () => {
  it('asks for 500 a page, trims each page before fetching the next, and keeps the first page’s resourceVersion', async () => {
    const log: string[] = [];
    const fetch = scripted([page('7', ['a', 'b'], 't1'), page('7', ['c'])], log);
    const list = await listInPages(fetch, (item) => {
      log.push(`trim ${item}`);
      return item.toUpperCase();
    });
    assert.deepEqual(list, { resourceVersion: '7', items: ['A', 'B', 'C'] });
    assert.deepEqual(log, [
      'fetch limit=500 continue=-',
      'trim a',
      'trim b',
      'fetch limit=500 continue=t1',
      'trim c',
    ]);
  });

  it('starts over from the first page when a later page answers 410, and keeps only the new list', async () => {
    const log: string[] = [];
    const fetch = scripted(
      [page('7', ['a'], 't1'), expired(), page('9', ['b'], 't2'), page('9', ['c'])],
      log,
    );
    const list = await listInPages(fetch, (item) => item);
    assert.deepEqual(list, { resourceVersion: '9', items: ['b', 'c'] });
    assert.equal(log[2], 'fetch limit=500 continue=-');
  });

  it('hands on a 410 of the first page without starting over', async () => {
    const log: string[] = [];
    await assert.rejects(
      listInPages(scripted([expired()], log), (item) => item),
      (err: unknown) => err instanceof KubeApiError && err.code === 410,
    );
    assert.equal(log.length, 1);
  });

  it('hands on any other error of a later page at once', async () => {
    const log: string[] = [];
    const failure = new KubeApiError('list', 'pods', 500, 'InternalError', 'boom');
    await assert.rejects(
      listInPages(scripted([page('7', ['a'], 't1'), failure], log), (item) => item),
      (err: unknown) => err === failure,
    );
    assert.equal(log.length, 2);
  });

  it('gives up after three lists that each expired, handing on the 410', async () => {
    const log: string[] = [];
    const answers: Answer[] = [];
    for (let i = 0; i < 3; i++) answers.push(page(String(i), ['a'], 't'), expired());
    await assert.rejects(
      listInPages(scripted(answers, log), (item) => item),
      (err: unknown) => err instanceof KubeApiError && err.code === 410,
    );
    assert.equal(log.length, 6);
  });
});

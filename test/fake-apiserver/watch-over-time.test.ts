/**
 * What kube-apiserver does to watches as time passes: BOOKMARKs about once a minute, and one 2 s before a
 * watch's `timeoutSeconds` deadline, only to watches that asked (apiserver pkg/storage/cacher/cacher.go
 * `defaultBookmarkFrequency`, cache_watcher.go `nextBookmarkTime`); the stream ended at the deadline; and
 * history compacted every 5 minutes up to the previous tick (apiserver pkg/storage/etcd3/compact.go), after
 * which an older resourceVersion answers 410. Periods are the real ones, in a time lapse
 * (test/support/time-lapse.ts), or set short.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { nextBookmarkDelay } from '../support/fake-apiserver/bookmark-schedule.js';
import type { FakeApiServer } from '../support/fake-apiserver/index.js';
import { TimeLapse } from '../support/time-lapse.js';
import { clientsFor, openWatch, startWithFixtures } from './harness.js';

const PODS = '/api/v1/namespaces/default/pods';

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

describe('FakeApiServer: watches over time', () => {
  describe('the bookmark schedule (cache_watcher.go nextBookmarkTime)', () => {
    const cases: [string, number, number, number | undefined, number | undefined][] = [
      ['a period after the start without a deadline', 0, 60_000, undefined, 60_000],
      ['a period after the start, well before the deadline', 0, 60_000, 300_000, 60_000],
      ['2 s before the deadline when that comes first', 240_000, 60_000, 300_000, 58_000],
      ['none once the moment 2 s before the deadline has passed', 298_000, 60_000, 300_000, undefined],
      ['none for a watch shorter than 2 s', 0, 60_000, 1_000, undefined],
    ];
    for (const [what, elapsed, period, timeout, expected] of cases) {
      it(`is ${what}`, () => {
        assert.equal(nextBookmarkDelay(elapsed, period, timeout), expected);
      });
    }
  });

  describe('on the wire, without a client library', () => {
    let server: FakeApiServer;
    beforeEach(async () => {
      server = await startWithFixtures({ bookmarkPeriodMs: 50 });
    });
    afterEach(() => server.stop());

    /** The event types a raw watch stream carried in `ms`, each with its resourceVersion. */
    function rawWatch(query: string, ms: number): Promise<string[]> {
      return new Promise((resolve, reject) => {
        const url = new URL(`${PODS}?watch=true&${query}`, server.url);
        const headers = { Authorization: `Bearer ${server.tokenFor('system:admin')}` };
        const req = request(url, { headers }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          setTimeout(() => {
            req.destroy();
            const lines = body.split('\n').filter(Boolean);
            resolve(
              lines.map((l) => {
                const e = JSON.parse(l) as {
                  type: string;
                  object: { metadata: { resourceVersion: string } };
                };
                return `${e.type} ${e.object.metadata.resourceVersion}`;
              }),
            );
          }, ms);
        });
        req.on('error', reject);
        req.end();
      });
    }

    it('sends a BOOKMARK with the current resourceVersion every period to a watch that allows them', async () => {
      const rv = String(server.resourceVersion());
      const events = await rawWatch(`resourceVersion=${rv}&allowWatchBookmarks=true`, 400);
      assert.ok(events.length >= 3, `${events.length} bookmarks in 8 periods`);
      for (const e of events) assert.equal(e, `BOOKMARK ${rv}`);
    });

    it('sends no BOOKMARK to a watch that did not ask for them', async () => {
      const rv = String(server.resourceVersion());
      assert.deepEqual(await rawWatch(`resourceVersion=${rv}`, 400), []);
    });
  });

  describe('through the client library', () => {
    let server: FakeApiServer | undefined;
    let lapse: TimeLapse | undefined;
    afterEach(async () => {
      await server?.stop();
      lapse?.stop();
    });

    it('sends a last BOOKMARK 2 s before timeoutSeconds, then ends the watch cleanly', async () => {
      lapse = TimeLapse.start(20);
      server = await startWithFixtures();
      const kc = clientsFor(server).kc;
      const w = await openWatch(kc, PODS, {
        resourceVersion: String(server.resourceVersion()),
        allowWatchBookmarks: true,
        timeoutSeconds: 10,
      });
      assert.equal(await w.ended, null);
      assert.deepEqual(
        w.events.map((e) => e.type),
        ['BOOKMARK'],
      );
    });

    it('compacts history every interval up to the previous tick: older resourceVersions get 410', async () => {
      lapse = TimeLapse.start(600);
      server = await startWithFixtures();
      const c = clientsFor(server);
      const first = await server.create(pod('first'));
      const second = await server.create(pod('second'));
      // The 5-minute tick notes the resourceVersion of `second`, the 10-minute tick compacts up to it.
      await lapse.sleep(12 * 60_000);
      lapse.stop(); // the rest waits in real time
      const old = await openWatch(c.kc, PODS, { resourceVersion: first.metadata.resourceVersion });
      const [expired] = await old.until((e) => e.length === 1);
      assert.equal(expired!.type, 'ERROR');
      assert.equal(expired!.object.code, 410);
      // History after the noted resourceVersion is kept: a watch from there still works.
      const recent = await openWatch(c.kc, PODS, { resourceVersion: second.metadata.resourceVersion });
      await c.core.createNamespacedPod({ namespace: 'default', body: pod('third') });
      const [added] = await recent.until((e) => e.length === 1);
      recent.stop();
      assert.equal(`${added!.type} ${added!.object.metadata.name}`, 'ADDED third');
    });
  });
});

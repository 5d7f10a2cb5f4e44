/**
 * The scale benchmark's pieces that could rot without anyone noticing: its parameters, its cluster
 * generator (pods the FAKE API server accepts, the same on every run), and how it reads the shipped launch
 * from the Dockerfile and the Deployment. The benchmark itself (`npm run bench -- scale`) prints figures.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { scaleArgs, ScaleArgsError } from '../../bench/support/scale-args.js';
import { scalePods, scaleTest } from '../../bench/support/scale-cluster.js';
import { populate } from '../../bench/support/scale-population.js';
import { podSuffix } from '../../bench/support/scale-pod.js';
import { finalStage, quantityBytes } from '../../bench/support/shipped-launch.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';

const CRD = new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url);

describe('scale benchmark', () => {
  describe('parameters', () => {
    it('measures 10,000 pods by default, in namespaces of 20 with one policy each, 1,000 tests of 10 flows', () => {
      const [size, ...more] = scaleArgs({}).sizes;
      assert.deepEqual(size, {
        pods: 10_000,
        namespaces: 500,
        policies: 500,
        tests: 1000,
        flowsPerTest: 10,
        seed: 13,
      });
      assert.equal(more.length, 0);
    });

    it('takes a list of sizes and derives the namespaces from each', () => {
      const args = scaleArgs({
        FLOWPROBE_BENCH_PODS: '50, 100_000',
        FLOWPROBE_BENCH_TESTS: '5',
        FLOWPROBE_BENCH_IDLE: '0',
      });
      assert.deepEqual(
        args.sizes.map((s) => [s.pods, s.namespaces, s.policies, s.tests]),
        [
          [50, 3, 3, 5],
          [100_000, 5000, 5000, 5],
        ],
      );
      assert.equal(args.idleHour, false);
    });

    it('names every bad parameter at once', () => {
      assert.throws(
        () => scaleArgs({ FLOWPROBE_BENCH_PODS: '10k', FLOWPROBE_BENCH_TESTS: '-1' }),
        (err: unknown) =>
          err instanceof ScaleArgsError &&
          err.problems.length === 2 &&
          err.problems.some((p) => p.includes('FLOWPROBE_BENCH_PODS') && p.includes('"10k"')),
      );
    });
  });

  describe('the generated cluster at 50 pods', () => {
    let server: FakeApiServer;
    const size = scaleArgs({ FLOWPROBE_BENCH_PODS: '50', FLOWPROBE_BENCH_TESTS: '3' }).sizes[0]!;

    beforeEach(async () => {
      server = await FakeApiServer.start({ objects: [parse(readFileSync(CRD, 'utf8')) as KubeObject] });
    });
    afterEach(() => server.stop());

    it('is accepted by the FAKE API server, and its pods survive the garbage collector (their owners exist)', async () => {
      const population = await populate(server, size);
      assert.deepEqual([population.namespaces, population.pods, population.policies], [3, 50, 3]);
      // The garbage collector sweeps after writes: let it run, then the pods must all still be there.
      await new Promise((resolve) => setImmediate(resolve));
      const res = await fetch(`${server.url}/api/v1/pods`, {
        headers: { authorization: `Bearer ${server.tokenFor('system:admin')}` },
      });
      const list = (await res.json()) as { items: { status: { phase: string; podIP: string } }[] };
      assert.equal(list.items.length, 50);
      assert.ok(list.items.every((p) => p.status.phase === 'Running' && p.status.podIP.startsWith('10.')));
      for (let t = 0; t < size.tests; t++) await server.create({ ...scaleTest(size, t) });
    });

    it('makes realistic pods: managedFields, 2-3 containers with ports, 5-10 labels, an owner, podIPs', () => {
      const pods = [...scalePods(size, () => 'uid')] as {
        metadata: { labels: object; managedFields: unknown[]; ownerReferences: unknown[] };
        spec: { containers: { ports?: unknown[]; env?: unknown[] }[] };
        status: { podIPs: unknown[]; conditions: unknown[] };
      }[];
      for (const pod of pods) {
        assert.ok(pod.spec.containers.length >= 2 && pod.spec.containers.length <= 3);
        const labels = Object.keys(pod.metadata.labels).length;
        assert.ok(labels >= 5 && labels <= 10, `${labels} labels`);
        assert.equal(pod.metadata.managedFields.length, 2);
        assert.equal(pod.metadata.ownerReferences.length, 1);
        assert.ok(pod.spec.containers[0]?.ports?.length && pod.spec.containers[0].env?.length);
        assert.equal(pod.status.podIPs.length, 1);
        assert.equal(pod.status.conditions.length, 5);
      }
    });

    it('names pods uniquely within a namespace, however many (a second pod of one name is refused)', () => {
      const suffixes = new Set(Array.from({ length: 20_000 }, (_, slot) => podSuffix(slot)));
      assert.equal(suffixes.size, 20_000);
      assert.ok([...suffixes].every((x) => /^[bcdfghjklmnpqrstvwxz2456789]{5}$/.test(x)));
    });

    it('is the same cluster for the same seed, and another for another seed', () => {
      const again = scaleArgs({ FLOWPROBE_BENCH_PODS: '50' }).sizes[0]!;
      const other = scaleArgs({ FLOWPROBE_BENCH_PODS: '50', FLOWPROBE_BENCH_SEED: '14' }).sizes[0]!;
      const json = (s: typeof size) => JSON.stringify([...scalePods(s, () => 'uid')]);
      assert.equal(json(size), json(again));
      assert.notEqual(json(size), json(other));
    });
  });

  describe('the shipped launch', () => {
    it('reads the final stage of the Dockerfile: what it copies, its ENTRYPOINT and CMD', () => {
      const stage = finalStage(readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8'));
      assert.ok(stage.entrypoint.length > 0);
      assert.ok(stage.copies.length > 0);
      assert.ok(
        stage.copies.every((c) => c.startsWith('/src/')),
        JSON.stringify(stage.copies),
      );
    });

    it('reads Kubernetes memory quantities as bytes', () => {
      assert.equal(quantityBytes('256Mi'), 256 * 2 ** 20);
      assert.equal(quantityBytes('1G'), 1e9);
      assert.equal(quantityBytes('1'), 1);
      assert.throws(() => quantityBytes('lots'), /unreadable memory quantity/);
    });
  });
});

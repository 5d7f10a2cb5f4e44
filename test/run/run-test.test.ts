import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { Flow } from '../../src/api/types.js';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { validateLabels } from '../support/fake-apiserver/metadata-validation.js';
import { podSourceOf } from '../../src/kube/cached-pods.js';
import type { PodObject, TestObject } from '../../src/kube/objects.js';
import { PodWaiter, runTest, type ProbePodApi } from '../../src/run/index.js';

/**
 * A FAKE probe pod API: it plays the API server and the kubelet at once. Creating a pod names it, and
 * soon after "runs" it by feeding the waiter a finished pod whose log answers each probe as `answer`
 * says, in the probe script's real result-line format. Nothing runs on a network here; the real-network
 * and local-cluster tests do that.
 */
class FakeProbePods implements ProbePodApi {
  created: {
    name: string;
    manifest: { metadata: { labels: Record<string, string> }; spec: { containers: { command: string[] }[] } };
  }[] = [];
  deleted: string[] = [];
  logs = new Map<string, string>();
  imagePullFails = false;
  /** The scheduler finds no node: the pod stays Pending, and the kubelet never enforces its deadline. */
  unschedulable = false;
  /** The pod is accepted and never scheduled: it stays Pending without a reason. */
  staysPending = false;
  refuseCreate = false;
  /** An admission refusal (HTTP 403 and the API server's words), as the kube edge throws it. */
  forbidCreate: string | undefined;
  /** Refuse pods carrying this identity label for good, as admission (Pod Security, quota) does. */
  rejectLabel: string | undefined;
  constructor(
    private readonly waiter: PodWaiter,
    private readonly answer: (host: string, port: string) => string,
  ) {}

  createPod(namespace: string, manifest: object): Promise<PodObject> {
    if (this.refuseCreate) return Promise.reject(Object.assign(new Error('create pods: 500'), { code: 500 }));
    if (this.forbidCreate)
      return Promise.reject(Object.assign(new Error(this.forbidCreate), { code: 403, retryable: false }));
    const m = manifest as FakeProbePods['created'][number]['manifest'];
    if (this.rejectLabel && this.rejectLabel in m.metadata.labels) {
      const forbidden = { code: 403, retryable: false };
      return Promise.reject(Object.assign(new Error('create pods: forbidden by PodSecurity'), forbidden));
    }
    const name = `probe-${this.created.length + 1}`;
    this.created.push({ name, manifest: m });
    const args = m.spec.containers[0]!.command.slice(5);
    this.logs.set(
      name,
      args.map((a, i) => this.line(i + 1, a)).join('\n') + `\nFLOWPROBE1-END|${args.length}\n`,
    );
    const pod: PodObject = { metadata: { name, namespace, labels: m.metadata.labels } };
    setImmediate(() => {
      if (this.staysPending) {
        this.waiter.observe({ ...pod, status: { phase: 'Pending' } });
        return;
      }
      this.waiter.observe({
        ...pod,
        status: this.unschedulable
          ? {
              phase: 'Pending',
              conditions: [
                {
                  type: 'PodScheduled',
                  status: 'False',
                  reason: 'Unschedulable',
                  message: '0/3 nodes are available: 3 Insufficient cpu.',
                },
              ],
            }
          : this.imagePullFails
            ? {
                phase: 'Pending',
                containerStatuses: [
                  {
                    name: 'probe',
                    state: {
                      waiting: {
                        reason: 'ImagePullBackOff',
                        message: 'Back-off pulling image "busybox:nope"',
                      },
                    },
                  },
                ],
              }
            : { phase: 'Succeeded' },
      });
    });
    return Promise.resolve(pod);
  }

  podLog(_namespace: string, name: string): Promise<string> {
    return Promise.resolve(this.logs.get(name) ?? '');
  }

  deletePod(_namespace: string, name: string): Promise<void> {
    this.deleted.push(name);
    return Promise.resolve();
  }

  private line(index: number, arg: string): string {
    const [kind, host, port] = arg.split('|') as [string, string, string];
    const msg = this.answer(host, port);
    const rc = msg.includes(' open') ? 0 : 1;
    const attempt = (at: number) => `${at},3,tcp,${rc},${host},,${msg}`;
    return `FLOWPROBE1|${index}|${kind}|${host}|${port}||1|2|${attempt(0)}|${attempt(2000)}`;
  }
}

function flow(name: string, over: Partial<Flow>): Flow {
  return {
    name,
    from: { labels: { app: 'web' } },
    to: { ip: '10.9.0.1' },
    port: 8080,
    expect: 'Allowed',
    ...over,
  };
}

function testObject(flows: Flow[]): TestObject {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 'baseline', namespace: 'prod', uid: 'uid-1', generation: 1 },
    spec: { flows },
  };
}

const cluster = () => ({ namespaces: [], pods: podSourceOf([]), services: [], policies: [] });
const limit = <T>(fn: () => Promise<T>) => fn();

describe('a probe run', () => {
  const answer = (host: string, port: string) =>
    port === '8080'
      ? `${host} (${host}:${port}) open`
      : `nc: ${host} (${host}:${port}): Connection timed out`;

  it('creates one probe pod per identity, not per flow, and deletes each', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    const flows = [
      flow('a', {}),
      flow('b', { port: 9090, expect: 'Denied' }),
      flow('c', { from: { labels: { app: 'other' } } }),
    ];
    await runTest(
      { api, waiter, limit },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox:1.37.0' },
    );
    assert.equal(api.created.length, 2);
    assert.deepEqual(api.deleted.sort(), ['probe-1', 'probe-2']);
    assert.equal(api.created[0]?.manifest.metadata.labels['flowprobe.dev/run-id'], 'r1');
  });

  it("plans from the pods of the test's namespace and its targets' namespaces, not from every pod", async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    const running = (namespace: string, name: string, app: string, podIP: string): PodObject => ({
      metadata: { name, namespace, labels: { app } },
      status: { phase: 'Running', podIP },
    });
    const source = podSourceOf([
      running('prod', 'web-1', 'web', '10.1.0.5'),
      running('data', 'db-1', 'db', '10.1.0.6'),
      ...Array.from({ length: 20 }, (_, i) => running(`team-${i}`, 'x', 'web', `10.2.0.${i + 1}`)),
    ]);
    const read: string[] = [];
    const counting = {
      ...source,
      all: () => {
        read.push('(every namespace)');
        return source.all();
      },
      podsIn: (namespace: string) => {
        read.push(namespace);
        return source.podsIn(namespace);
      },
    };
    const flows = [
      flow('to-db', {
        from: { podSelector: { matchLabels: { app: 'web' } } },
        to: { podSelector: { matchLabels: { app: 'db' } }, namespace: 'data' },
      }),
    ];
    const results = await runTest(
      { api, waiter, limit },
      {
        test: testObject(flows),
        runId: 'r1',
        cluster: () => ({ ...cluster(), pods: counting }),
        image: 'busybox',
      },
    );
    assert.equal(api.created[0]?.manifest.metadata.labels.app, 'web');
    assert.equal(results[0]?.target, '10.1.0.6:8080');
    // Planning reads two namespaces; the prediction reads every pod once, for the snapshot it keeps.
    assert.deepEqual(read.sort(), ['(every namespace)', 'data', 'prod']);
  });

  it("gives each probe pod the test's start-up grace (default 3 s) and a deadline that includes it", async () => {
    const pods = [];
    for (const grace of [undefined, 10]) {
      const waiter = new PodWaiter();
      const api = new FakeProbePods(waiter, answer);
      const test = testObject([flow('a', {})]);
      if (grace !== undefined) test.spec.startupGraceSeconds = grace;
      await runTest({ api, waiter, limit }, { test, runId: 'r1', cluster, image: 'busybox' });
      const spec = api.created[0]?.manifest.spec as {
        containers: { command: string[] }[];
        activeDeadlineSeconds: number;
      };
      pods.push({
        grace: spec.containers[0]!.command[4]!.split('|').at(-1),
        deadline: spec.activeDeadlineSeconds,
      });
    }
    assert.deepEqual(
      pods.map((p) => p.grace),
      ['3000', '10000'],
    );
    assert.equal(pods[1]!.deadline - pods[0]!.deadline, 7);
  });

  it("returns a result per flow in the spec's order, judged and diagnosed", async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    const flows = [
      flow('open', {}),
      flow('dropped', { port: 9090 }),
      flow('denied-ok', { port: 9091, expect: 'Denied' }),
    ];
    const results = await runTest(
      { api, waiter, limit },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox' },
    );
    assert.deepEqual(
      results.map((r) => [r.flow, r.outcome, r.verdict]),
      [
        ['open', 'Connected', 'Pass'],
        ['dropped', 'Blocked', 'Fail'],
        ['denied-ok', 'Blocked', 'Pass'],
      ],
    );
    assert.equal(results[0]?.target, '10.9.0.1:8080');
    assert.match(results[1]?.diagnosis ?? '', /^expected Allowed, observed Blocked/);
  });

  it("turns a pod whose image cannot be pulled into Error results with the kubelet's reason", async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    api.imagePullFails = true;
    const results = await runTest(
      { api, waiter, limit },
      { test: testObject([flow('a', {})]), runId: 'r1', cluster, image: 'busybox:nope' },
    );
    assert.equal(results[0]?.verdict, 'Error');
    assert.equal(results[0].detail, 'pod-not-started');
    assert.match(results[0].diagnosis, /ImagePullBackOff: Back-off pulling image "busybox:nope"/);
    assert.deepEqual(api.deleted, ['probe-1']);
  });

  it('gives up on a probe pod that never starts once the startup allowance has passed, saying why', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    api.unschedulable = true;
    const [r] = await runTest(
      { api, waiter, limit },
      {
        test: testObject([flow('a', {})]),
        runId: 'r1',
        cluster,
        image: 'busybox',
        startupAllowanceSeconds: 0.05,
      },
    );
    assert.equal(r?.detail, 'pod-not-started');
    assert.match(r.diagnosis, /did not start within 0s \(Pending, Unschedulable: 0\/3 nodes are available/);
    assert.deepEqual(api.deleted, ['probe-1']);
  });

  it('keeps a flow whose source has no running pod, as an Error saying why', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    const flows = [flow('ghost', { from: { podSelector: { matchLabels: { app: 'nobody' } } } })];
    const [r] = await runTest(
      { api, waiter, limit },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox' },
    );
    assert.equal(r?.verdict, 'Error');
    assert.match(r.diagnosis, /no running pod in prod matches the source selector/);
    assert.equal(api.created.length, 0);
  });

  it('reports a probe pod refused at admission (a missing service account) as Error results with the reason', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    api.forbidCreate =
      'create pods: pods "ctest-baseline-web-" is forbidden: error looking up service account prod/api: serviceaccount "api" not found';
    const flows = [flow('a', { from: { labels: { app: 'web' }, serviceAccountName: 'api' } })];
    const [r] = await runTest(
      { api, waiter, limit },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox' },
    );
    assert.deepEqual([r?.outcome, r?.verdict, r?.detail], ['Error', 'Error', 'pod-rejected']);
    assert.match(r?.diagnosis ?? '', /error looking up service account prod\/api/);
  });

  it('fails the run when the API server fails a probe pod, so it is retried rather than reported', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    api.refuseCreate = true;
    await assert.rejects(
      runTest(
        { api, waiter, limit },
        { test: testObject([flow('a', {})]), runId: 'r1', cluster, image: 'busybox' },
      ),
      /create pods: 500/,
    );
  });

  it('creates no probe pod once the run is stopped, and says why on each flow', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    const flows = [flow('a', {}), flow('b', { from: { labels: { app: 'other' } } })];
    const signal = AbortSignal.abort(new Error('interrupted (SIGINT)'));
    const results = await runTest(
      { api, waiter, limit, signal },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox' },
    );
    assert.equal(api.created.length, 0);
    assert.deepEqual(
      results.map((r) => [r.flow, r.verdict, r.detail]),
      [
        ['a', 'Error', 'run-stopped'],
        ['b', 'Error', 'run-stopped'],
      ],
    );
    assert.match(results[0]?.diagnosis ?? '', /interrupted \(SIGINT\)/);
  });

  it('stops waiting for a probe pod when the run is stopped, and still deletes the pod', async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    // The pod never finishes: only the stop can end the wait.
    api.staysPending = true;
    const controller = new AbortController();
    const pending = runTest(
      { api, waiter, limit, signal: controller.signal },
      {
        test: testObject([flow('a', {})]),
        runId: 'r1',
        cluster,
        image: 'busybox',
        startupAllowanceSeconds: 3600,
      },
    );
    await until(() => api.created.length === 1);
    controller.abort(new Error('timed out after 5s'));
    const [r] = await pending;
    assert.deepEqual([r?.verdict, r?.detail], ['Error', 'run-stopped']);
    assert.deepEqual(api.deleted, ['probe-1']);
  });
});

describe('a probe run never stops at one flow', () => {
  const answer = (host: string, port: string) => `${host} (${host}:${port}) open`;

  it("reports a probe pod the API server refused for good as its flows' Errors, and runs the others", async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    api.rejectLabel = 'privileged';
    const flows = [flow('refused', { from: { labels: { privileged: 'yes' } } }), flow('fine', {})];
    const results = await runTest(
      { api, waiter, limit },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox' },
    );
    assert.deepEqual(
      results.map((r) => [r.flow, r.verdict, r.detail]),
      [
        ['refused', 'Error', 'pod-rejected'],
        ['fine', 'Pass', 'tcp-open'],
      ],
    );
    assert.match(results[0]?.diagnosis ?? '', /refused the probe pod: create pods: forbidden by PodSecurity/);
  });

  it("turns a target the probe cannot carry into that flow's Error, and probes its siblings", async () => {
    const waiter = new PodWaiter();
    const api = new FakeProbePods(waiter, answer);
    const flows = [flow('mapped', { to: { ip: '::ffff:10.0.0.1' } }), flow('v4', {})];
    const results = await runTest(
      { api, waiter, limit },
      { test: testObject(flows), runId: 'r1', cluster, image: 'busybox' },
    );
    assert.deepEqual(
      results.map((r) => [r.flow, r.verdict, r.detail]),
      [
        ['mapped', 'Error', 'cannot-probe'],
        ['v4', 'Pass', 'tcp-open'],
      ],
    );
    assert.match(results[0]?.diagnosis ?? '', /not a valid IPv6 address/);
  });

  it('answers every flow of every spec the CRD accepts, hostile ones included, without throwing', async () => {
    const web: PodObject = {
      metadata: { name: 'web-1', namespace: 'prod', labels: { app: 'web' } },
      status: { phase: 'Running', podIP: '10.1.0.5' },
    };
    await fc.assert(
      fc.asyncProperty(validTest, async (test) => {
        const waiter = new PodWaiter();
        const api = new FakeProbePods(waiter, answer);
        const results = await runTest(
          { api, waiter, limit },
          {
            test,
            runId: 'r1',
            cluster: () => ({ ...cluster(), pods: podSourceOf([web]) }),
            image: 'busybox',
          },
        );
        assert.deepEqual(
          results.map((r) => r.flow),
          test.spec.flows.map((f) => f.name),
        );
        // Every probe pod is one the API server takes: its label checks (the FAKE API server's copy of
        // apimachinery's) find nothing to refuse.
        for (const { manifest } of api.created) {
          const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...manifest.metadata } };
          assert.deepEqual(validateLabels(pod), []);
        }
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * ConnectivityTests the CRD accepts (filtered through the validator, the CRD's TypeScript twin), drawn
 * from the corners where the CRD is looser than the probe and the API server: IPv6 addresses, any
 * printable path, label keys with long prefixes, long names.
 */
const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,20}[A-Za-z0-9])?)?$/);
const longPrefix = `${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.e`;
const labelKey = fc.constantFrom('app', 'tier', 'example.com/team', `${longPrefix}/x`, 'flowprobe.dev/x');
const hostileFlow = fc.record(
  {
    name: fc.stringMatching(/^[a-z]([-a-z0-9]{0,8}[a-z0-9])?$/),
    from: fc.oneof(
      fc.record({ labels: fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 3 }) }),
      fc.record({ podSelector: fc.record({ matchLabels: fc.constantFrom({ app: 'web' }, { app: 'no' }) }) }),
    ),
    to: fc.oneof(
      fc.record({ ip: fc.constantFrom('10.0.0.1', '2001:db8::1', '::1', '::ffff:10.0.0.1') }),
      fc.record({ host: fc.constantFrom('api.example.com', 'a', `${'x'.repeat(63)}.example`) }),
      fc.record({
        service: fc.constantFrom('api', 'a'.repeat(63)),
        namespace: fc.constantFrom('prod', 'z'.repeat(63)),
      }),
      fc.record({ podSelector: fc.record({ matchLabels: fc.constantFrom({ app: 'web' }, { app: 'no' }) }) }),
    ),
    port: fc.integer({ min: 1, max: 65535 }),
    protocol: fc.constantFrom('TCP' as const, 'UDP' as const),
    http: fc.record({ path: fc.stringMatching(/^\/[!-~]{0,80}$/) }),
    expect: fc.constantFrom('Allowed' as const, 'Denied' as const),
    timeoutSeconds: fc.integer({ min: 2, max: 60 }),
  },
  { requiredKeys: ['name', 'from', 'to', 'port', 'expect'] },
);
const validTest = fc
  .record({
    name: fc.constantFrom('t', `${'long-name.'.repeat(20)}end`),
    flows: fc.uniqueArray(hostileFlow, { minLength: 1, maxLength: 5, selector: (f) => f.name }),
  })
  .map(({ name, flows }): TestObject => ({
    ...testObject(flows as Flow[]),
    metadata: { name, namespace: 'prod', uid: 'uid-1', generation: 1 },
  }))
  .filter((t) => validateConnectivityTest(t).length === 0);

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

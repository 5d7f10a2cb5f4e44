// Property: the Predictor's snapshot, kept up to date one namespace at a time as pods change (and compiled
// again over the same pods when a policy changes), predicts exactly what a snapshot built from scratch
// predicts — every flow's prediction, reasons, diagnosis, DNS answer and findings — for any sequence of
// pod additions, changes and deletions. The pods go through a FAKE of the ListWatch store (test/support/
// fake-pod-cache.ts) and the real change log and compaction.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { ConnectivityTest, Flow } from '../../src/api/types.js';
import type { PodObject, WireObject } from '../../src/kube/objects.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { FakePodCache } from '../support/fake-pod-cache.js';

const NAMESPACES = ['prod', 'dev', 'kube-system'];
const NAMES = ['a', 'b', 'c', 'd'];
/** The same objects on every read, as the caches hand them out: only a real change rebuilds the policies. */
const NAMESPACE_OBJECTS: WireObject[] = NAMESPACES.map((name) => ({ metadata: { name } }));
/** Few addresses, so that pods share one now and then (a finished pod keeps its address). */
const IPS = ['10.1.0.1', '10.1.0.2', '10.1.0.3', undefined];
const LABELS: Record<string, string>[] = [
  { app: 'web' },
  { app: 'api', tier: 'back' },
  { app: 'api', tier: 'back', canary: 'true' },
  { app: 'db' },
  { 'k8s-app': 'kube-dns' },
  {},
];
const PORTS = [
  [{ name: 'http', containerPort: 8080 }],
  [{ name: 'http', containerPort: 9090 }],
  [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53 },
  ],
  [],
];

interface PodSpec {
  namespace: string;
  name: string;
  labels: number;
  ports: number;
  ip: string | undefined;
  phase: 'Running' | 'Pending' | 'Succeeded';
  ready: boolean | undefined;
  deleting: boolean;
  hostNetwork: boolean;
  probe: boolean;
}

const podSpec: fc.Arbitrary<PodSpec> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  name: fc.constantFrom(...NAMES),
  labels: fc.nat(LABELS.length - 1),
  ports: fc.nat(PORTS.length - 1),
  ip: fc.constantFrom(...IPS),
  phase: fc.constantFrom('Running', 'Pending', 'Succeeded'),
  ready: fc.constantFrom(true, false, undefined),
  deleting: fc.constantFrom(false, false, true),
  hostNetwork: fc.constantFrom(false, false, false, true),
  probe: fc.constantFrom(false, false, false, false, true),
});

type Op =
  | { kind: 'apply'; pod: PodSpec }
  | { kind: 'delete'; namespace: string; name: string }
  | { kind: 'policies'; which: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: podSpec.map((pod) => ({ kind: 'apply' as const, pod })) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('delete' as const),
      namespace: fc.constantFrom(...NAMESPACES),
      name: fc.constantFrom(...NAMES),
    }),
  },
  { weight: 1, arbitrary: fc.nat(3).map((which) => ({ kind: 'policies' as const, which })) },
);

function wirePod(p: PodSpec): PodObject {
  const labels = { ...LABELS[p.labels], ...(p.probe ? { 'flowprobe.dev/run-id': 'r1' } : {}) };
  return {
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels,
      ...(p.deleting ? { deletionTimestamp: '2026-11-24T10:00:00Z' } : {}),
    },
    spec: {
      ...(p.hostNetwork ? { hostNetwork: true } : {}),
      containers: [{ name: 'c', ports: PORTS[p.ports] ?? [] }],
    },
    status: {
      phase: p.phase,
      ...(p.ip === undefined ? {} : { podIP: p.ip }),
      ...(p.ready === undefined
        ? {}
        : { conditions: [{ type: 'Ready', status: p.ready ? 'True' : 'False' }] }),
    },
  };
}

const policy = (namespace: string, name: string, spec: object): WireObject => ({
  metadata: { name, namespace },
  spec,
});
/** Four policy sets the sequence switches between: each reads pods differently. */
const POLICY_SETS: WireObject[][] = [
  [
    policy('prod', 'api-from-web', {
      podSelector: { matchLabels: { app: 'api' } },
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
    }),
    policy('dev', 'deny-egress', { podSelector: {}, policyTypes: ['Egress'] }),
    policy('prod', 'db-only', { podSelector: { matchLabels: { app: 'db' } }, policyTypes: ['Ingress'] }),
  ],
  [
    policy('prod', 'deny-egress-but-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [{ namespaceSelector: {}, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
          ports: [{ protocol: 'UDP', port: 53 }],
        },
        { to: [{ ipBlock: { cidr: '10.1.0.0/30' } }] },
      ],
    }),
  ],
  [
    policy('kube-system', 'dns-from-prod', {
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      ingress: [
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'prod' } } }] },
      ],
    }),
  ],
  [],
];

const SERVICES: WireObject[] = [
  {
    metadata: { name: 'api', namespace: 'prod' },
    spec: { selector: { app: 'api' }, clusterIP: '172.20.0.10', ports: [{ port: 80, targetPort: 'http' }] },
  },
];

const flow = (name: string, from: Flow['from'], to: Flow['to'], port = 8080, protocol?: 'UDP'): Flow => ({
  name,
  from,
  to,
  port,
  ...(protocol ? { protocol } : {}),
  expect: 'Allowed',
});
const web = { podSelector: { matchLabels: { app: 'web' } } };
const TESTS: ConnectivityTest[] = ['prod', 'dev'].map((namespace) => ({
  apiVersion: 'flowprobe.dev/v1alpha1',
  kind: 'ConnectivityTest',
  metadata: { name: 't', namespace },
  spec: {
    flows: [
      flow('to-pods', web, { podSelector: { matchLabels: { app: 'api' } }, namespace: 'prod' }),
      flow('from-api', { podSelector: { matchLabels: { tier: 'back' } } }, { podSelector: {} }),
      flow('to-service', web, { service: 'api', namespace: 'prod' }, 80),
      flow('by-name', { labels: { app: 'web' } }, { host: 'api.prod.svc.cluster.local' }, 80),
      flow('to-ip', web, { ip: '10.1.0.2' }),
      flow('to-other-ip', { labels: { app: 'db' } }, { ip: '10.1.0.1' }, 9090),
      flow(
        'to-dns',
        web,
        { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespace: 'kube-system' },
        53,
        'UDP',
      ),
    ],
  },
}));

function predictions(p: Predictor, cluster: ClusterObjects) {
  return TESTS.map((t) => [...p.predict(t, cluster).values()]);
}

describe('the incrementally updated prediction snapshot', () => {
  it('predicts what a snapshot built from scratch predicts, after any sequence of pod changes', () => {
    fc.assert(
      fc.property(
        fc.array(podSpec, { maxLength: 8 }),
        fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 15 }),
        (initial, ops) => {
          const cache = new FakePodCache(initial.map(wirePod));
          let policies = POLICY_SETS[0] ?? [];
          const cluster = (): ClusterObjects => ({
            namespaces: NAMESPACE_OBJECTS,
            pods: cache.source,
            services: SERVICES,
            policies,
          });
          const live = new Predictor();
          predictions(live, cluster());
          // Changes come in batches: several may land between two predictions (a pod and a policy, too).
          for (const batch of ops) {
            for (const o of batch) {
              if (o.kind === 'apply') cache.apply(wirePod(o.pod));
              else if (o.kind === 'delete') cache.remove(o.namespace, o.name);
              else policies = POLICY_SETS[o.which] ?? [];
            }
            assert.deepStrictEqual(predictions(live, cluster()), predictions(new Predictor(), cluster()));
          }
          assert.equal(live.snapshotsBuilt, 1, 'the live snapshot never read every pod again');
          const policyChanges = ops.flat().filter((o) => o.kind === 'policies').length;
          assert.ok(
            live.policyRebuilds <= 1 + policyChanges,
            'policies compiled again only when they changed',
          );
        },
      ),
      { numRuns: 150 },
    );
  });
});

// `npm run bench -- explain`: explain's pure path (objects in memory → results) on a synthetic cluster of
// 5,000 pods in 50 namespaces, 1,000 NetworkPolicies and 10,000 flows, at half, full and double size —
// and at full size again with 200 ClusterNetworkPolicies (Admin and Baseline tiers) on top.
// Loading from files is not measured here (the loader is its own concern). Prints figures, asserts none.
import { validateConnectivityTest } from '../src/api/validate.js';
import { buildSnapshot, explainSnapshot } from '../src/explain/index.js';
import type { KubeObject, SourcedObject } from '../src/manifest/load.js';

const APPS = 10;
const REPLICAS = 10; // pods per app per namespace: 100 pods per namespace
const FLOWS_PER_NAMESPACE = 200; // in two ConnectivityTests (100 flows each, the schema's maximum)

function* rng(seed: number): Generator<number, never> {
  let s = seed;
  for (;;) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    yield s;
  }
}

const sel = (labels: Record<string, string>) => ({ matchLabels: labels });

function namespaceObjects(n: number, namespaces: number, next: () => number): KubeObject[] {
  const ns = `ns-${n}`;
  const out: KubeObject[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: `t${n % 5}` } } },
  ];
  for (let a = 0; a < APPS; a++) {
    for (let r = 0; r < REPLICAS; r++) {
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `app-${a}-${r}`,
          namespace: ns,
          labels: { app: `app-${a}`, tier: a < 5 ? 'front' : 'back' },
        },
        spec: {
          containers: [
            {
              name: 'c',
              image: 'x',
              ports: [
                { name: 'http', containerPort: 8080 },
                { name: 'metrics', containerPort: 9090 },
              ],
            },
          ],
        },
        status: { podIP: `10.${n >> 8}.${n & 255}.${a * REPLICAS + r + 1}` },
      });
    }
    out.push({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `app-${a}`, namespace: ns },
      spec: { selector: { app: `app-${a}` }, ports: [{ port: 80, targetPort: 'http' }] },
    });
  }
  out.push(...policies(ns, n));
  for (let t = 0; t < FLOWS_PER_NAMESPACE / 100; t++) out.push(connectivityTest(ns, t, namespaces, next));
  return out;
}

/** 20 policies per namespace: default deny, DNS, and an ingress and an egress policy for most apps. */
function policies(ns: string, n: number): KubeObject[] {
  const np = (name: string, spec: object): KubeObject => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name, namespace: ns },
    spec,
  });
  const out = [
    np('default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }),
    np('allow-dns', {
      podSelector: {},
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: sel({ 'kubernetes.io/metadata.name': 'kube-system' }),
              podSelector: sel({ 'k8s-app': 'kube-dns' }),
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    }),
  ];
  for (let a = 0; a < 9; a++) {
    out.push(
      np(`app-${a}-in`, {
        podSelector: sel({ app: `app-${a}` }),
        ingress: [
          { from: [{ podSelector: sel({ app: `app-${a + 1}` }) }], ports: [{ port: 'http' }] },
          {
            from: [
              {
                namespaceSelector: sel({ team: `t${(n + 1) % 5}` }),
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
              },
            ],
            ports: [{ port: 9090 }],
          },
          {
            from: [{ ipBlock: { cidr: '10.0.0.0/8', except: [`10.${n >> 8}.${n & 255}.0/24`] } }],
            ports: [{ port: 8000, endPort: 8100 }],
          },
        ],
      }),
    );
    out.push(
      np(`app-${a}-out`, {
        podSelector: sel({ app: `app-${a + 1}` }),
        policyTypes: ['Egress'],
        egress: [
          { to: [{ podSelector: sel({ app: `app-${a}` }) }], ports: [{ port: 8080 }] },
          {
            to: [{ namespaceSelector: {}, podSelector: sel({ tier: 'back' }) }],
            ports: [{ port: 'metrics' }],
          },
          {
            to: [
              { ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'] } },
            ],
            ports: [{ port: 443 }],
          },
        ],
      }),
    );
  }
  return out;
}

function connectivityTest(ns: string, t: number, namespaces: number, next: () => number): KubeObject {
  const flows = Array.from({ length: 100 }, (_, i) => {
    const from = { podSelector: sel({ app: `app-${next() % APPS}` }) };
    const app = `app-${next() % APPS}`;
    const kind = next() % 5;
    const to =
      kind === 0
        ? { service: app }
        : kind === 1
          ? { podSelector: sel({ app }), namespace: `ns-${next() % namespaces}` }
          : kind === 2
            ? { ip: next() % 2 === 0 ? '93.184.215.14' : `10.0.${next() % namespaces}.${(next() % 100) + 1}` }
            : kind === 3
              ? { host: `${app}.${ns}.svc.cluster.local` }
              : { podSelector: sel({ app }) };
    const port = kind === 0 || kind === 3 ? 80 : [8080, 9090, 443, 8050][next() % 4]!;
    return { name: `f-${i}`, from, to, port, expect: next() % 2 === 0 ? 'Allowed' : 'Denied' };
  });
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: `t-${t}`, namespace: ns },
    spec: { flows },
  };
}

/**
 * 200 ClusterNetworkPolicies: 120 Admin, 80 Baseline, each its own priority, subjects by team namespace
 * or by app, with Deny (link-local networks), Pass, Accept (port ranges) and Baseline Deny rules.
 */
function clusterNetworkPolicies(count: number): KubeObject[] {
  return Array.from({ length: count }, (_, i) => {
    const team = `t${i % 5}`;
    const admin = i < (count * 3) / 5;
    const subject =
      i % 2 === 0
        ? { namespaces: sel({ team }) }
        : { pods: { namespaceSelector: sel({ team }), podSelector: sel({ app: `app-${i % APPS}` }) } };
    const ingress = admin
      ? [
          {
            name: 'scrape',
            action: 'Pass',
            from: [{ namespaces: sel({ team: `t${(i + 1) % 5}` }) }],
            protocols: [{ tcp: { destinationPort: { number: 9090 } } }],
          },
          {
            name: 'range',
            action: 'Accept',
            from: [{ pods: { namespaceSelector: {}, podSelector: sel({ app: `app-${(i + 3) % APPS}` }) } }],
            protocols: [{ tcp: { destinationPort: { range: { start: 8000, end: 8100 } } } }],
          },
        ]
      : [
          {
            name: 'other-teams',
            action: 'Deny',
            from: [
              { namespaces: { matchExpressions: [{ key: 'team', operator: 'NotIn', values: [team] }] } },
            ],
          },
        ];
    const egress = admin
      ? [{ name: 'link-local', action: 'Deny', to: [{ networks: [`169.254.${i}.0/24`] }] }]
      : [
          {
            name: 'http',
            action: 'Accept',
            to: [{ pods: { namespaceSelector: sel({ team }), podSelector: {} } }],
            protocols: [{ destinationNamedPort: 'http' }],
          },
        ];
    return {
      apiVersion: 'policy.networking.k8s.io/v1alpha2',
      kind: 'ClusterNetworkPolicy',
      metadata: { name: `cnp-${i}` },
      spec: { tier: admin ? 'Admin' : 'Baseline', priority: i, subject, ingress, egress },
    };
  });
}

export function cluster(namespaces: number, cnps = 0): SourcedObject[] {
  const gen = rng(42);
  const next = () => gen.next().value;
  const objects: KubeObject[] = [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: 'kube-system' },
      spec: {
        template: {
          metadata: { labels: { 'k8s-app': 'kube-dns' } },
          spec: {
            containers: [
              { name: 'c', ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53 }] },
            ],
          },
        },
      },
    },
  ];
  for (let n = 0; n < namespaces; n++) objects.push(...namespaceObjects(n, namespaces, next));
  objects.push(...clusterNetworkPolicies(cnps));
  return objects.map((object, index) => ({ file: 'synthetic.yaml', index, object }));
}

function run(namespaces: number, cnps = 0): void {
  const objects = cluster(namespaces, cnps);
  const t0 = performance.now();
  const { snapshot, errors } = buildSnapshot(objects, validateConnectivityTest);
  const t1 = performance.now();
  if (errors.length > 0) throw new Error(errors[0]?.message);
  const report = explainSnapshot(snapshot);
  const t2 = performance.now();
  const s = report.summary;
  const flowsPerSecond = Math.round(s.flows / ((t2 - t0) / 1000));
  console.log(
    `${String(snapshot.pods.length).padStart(6)} pods ${String(namespaces).padStart(4)} ns ${String(snapshot.policies.length).padStart(5)} policies ${String(snapshot.clusterPolicies.length).padStart(4)} cnp ${String(s.flows).padStart(6)} flows | ` +
      `snapshot+validate ${(t1 - t0).toFixed(0).padStart(5)} ms  predict ${(t2 - t1).toFixed(0).padStart(5)} ms  total ${(t2 - t0).toFixed(0).padStart(5)} ms  ${String(flowsPerSecond).padStart(7)} flows/s` +
      `  (${s.agree} agree, ${s.contradict} contradict, ${s.unknown} unknown)`,
  );
}

export default function bench(): Promise<void> {
  run(5); // warm-up: JIT and module initialisation, not reported as a size
  console.log('explain, pure path (objects in memory → results); goal: full size under 2 s, linear growth');
  for (const namespaces of [25, 50, 100]) run(namespaces);
  console.log('the full size with 200 ClusterNetworkPolicies added; goal: under 2 s');
  run(50, 200);
  return Promise.resolve();
}

// The scale benchmark's cluster (issue 13), deterministic by seed: namespaces of 20 pods of four apps,
// one NetworkPolicy per namespace (of four kinds), and ConnectivityTests of 10 flows from three apps'
// pods to pods of the same or another namespace. Objects are made one at a time (generators), so the
// FAKE API server's process holds each pod once, as stored.
import type { ConnectivityTest, Flow } from '../../src/api/types.js';
import type { DeclaredOutcome, OutcomeTable } from '../../test/support/fake-cluster/index.js';
import type { ScaleSize } from './scale-args.js';
import { APPS, appOf, HTTP_PORT, METRICS_PORT, podIp, replicaSetName, scalePod } from './scale-pod.js';

type Json = Record<string, unknown>;

export function namespaceName(n: number): string {
  return `team-${String(n).padStart(4, '0')}`;
}

export function* scaleNamespaces(size: ScaleSize): Generator<Json> {
  for (let n = 0; n < size.namespaces; n++)
    yield {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespaceName(n), labels: { team: namespaceName(n) } },
    };
}

/** One ReplicaSet per app and namespace (stored only: nothing here makes pods from it). */
export function* scaleReplicaSets(size: ScaleSize): Generator<Json> {
  const perNamespace = Math.ceil(size.pods / size.namespaces);
  for (let n = 0; n < size.namespaces; n++) {
    for (const app of APPS.slice(0, Math.min(APPS.length, perNamespace))) {
      const name = replicaSetName(size.seed, n, app);
      const labels = { app, 'pod-template-hash': name.slice(app.length + 1) };
      yield {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name, namespace: namespaceName(n), labels },
        spec: {
          replicas: Math.ceil(perNamespace / APPS.length),
          selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: { containers: [{ name: app, image: `registry.example/${app}:1` }] },
          },
        },
      };
    }
  }
}

/**
 * Pod k lives in namespace k mod namespaces, so every namespace has all four apps once it has 4 pods.
 * `ownerUid` gives the uid the server gave each ReplicaSet (by namespace/name).
 */
export function* scalePods(
  size: ScaleSize,
  ownerUid: (namespace: string, name: string) => string,
): Generator<Json> {
  for (let index = 0; index < size.pods; index++) {
    const n = index % size.namespaces;
    const slot = Math.floor(index / size.namespaces);
    const namespace = namespaceName(n);
    const name = replicaSetName(size.seed, n, appOf(slot));
    yield scalePod(size.seed, { index, namespace, slot }, { name, uid: ownerUid(namespace, name) });
  }
}

/** Four kinds in turn: default-deny ingress, web from anywhere, api from web, metrics from monitoring. */
export function* scalePolicies(size: ScaleSize): Generator<Json> {
  const specs: [string, Json][] = [
    ['default-deny-ingress', { podSelector: {}, policyTypes: ['Ingress'] }],
    [
      'web-from-anywhere',
      { podSelector: { matchLabels: { app: 'web' } }, ingress: [{ ports: [{ port: HTTP_PORT }] }] },
    ],
    [
      'api-from-web',
      {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'http' }] }],
      },
    ],
    [
      'metrics-from-monitoring',
      {
        podSelector: {},
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
            ports: [{ port: METRICS_PORT }],
          },
        ],
      },
    ],
  ];
  for (let p = 0; p < size.policies; p++) {
    const [name, spec] = specs[p % specs.length] ?? specs[0]!;
    const namespace = namespaceName(p % size.namespaces);
    yield {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: `${name}-${p}`, namespace },
      spec,
    };
  }
}

/**
 * Test t lives in namespace t mod namespaces. Flow f goes from the pods of app f mod 3 to the pods of the
 * next app: even flows within the namespace on the http port (declared Connected, expected Allowed), odd
 * flows to the next namespace on the metrics port (declared Blocked, expected Denied). Three identities
 * per test, so three probe pods per run.
 */
export function scaleTest(size: ScaleSize, t: number): ConnectivityTest {
  const n = t % size.namespaces;
  const flows: Flow[] = Array.from({ length: size.flowsPerTest }, (_, f) => {
    const local = f % 2 === 0;
    return {
      name: `flow-${f}`,
      from: { podSelector: { matchLabels: { app: APPS[f % 3] ?? 'web' } } },
      to: {
        podSelector: { matchLabels: { app: APPS[(f % 3) + 1] ?? 'api' } },
        ...(local ? {} : { namespace: namespaceName((n + 1) % size.namespaces) }),
      },
      port: local ? HTTP_PORT : METRICS_PORT,
      expect: local ? 'Allowed' : 'Denied',
    };
  });
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: `scale-${String(t).padStart(5, '0')}`, namespace: namespaceName(n) },
    spec: { timeoutSeconds: 2, flows },
  };
}

/** What the FAKE kubelet's probe pods print: every pod's http port connects, its metrics port drops. */
export function scaleOutcomes(size: ScaleSize): OutcomeTable {
  const table: Record<string, DeclaredOutcome> = {};
  for (let index = 0; index < size.pods; index++) {
    table[`tcp://${podIp(index)}:${HTTP_PORT}`] = 'Connected';
    table[`tcp://${podIp(index)}:${METRICS_PORT}`] = 'Blocked';
  }
  return table;
}

/** The app of pod `index` (for tests of the generator). */
export function scaleAppOf(size: ScaleSize, index: number): string {
  return appOf(Math.floor(index / size.namespaces));
}

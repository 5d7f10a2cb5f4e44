import { strict as assert } from 'node:assert';
import type { ClusterConnectivityTest } from '../../src/api/types.js';
import { namespacedInstance } from '../../src/plan/cluster-instances.js';
import {
  chooseNamespaces,
  describeChoice,
  type NamespaceCandidate,
} from '../../src/plan/namespace-choice.js';

const namespaces: NamespaceCandidate[] = [
  { name: 'tenant-c', labels: { tenant: 'true' } },
  { name: 'tenant-a', labels: { tenant: 'true', tier: 'gold' } },
  { name: 'kube-system' },
  { name: 'tenant-b', labels: { tenant: 'true' } },
  { name: 'tenant-d', labels: { tenant: 'true' }, terminating: true },
];

describe('choosing the namespaces a ClusterConnectivityTest probes', () => {
  const cases: [string, Parameters<typeof chooseNamespaces>[1], number, string[], number][] = [
    [
      'matchLabels, the first by name up to the cap',
      { matchLabels: { tenant: 'true' } },
      2,
      ['tenant-a', 'tenant-b'],
      3,
    ],
    [
      'every match when the cap allows',
      { matchLabels: { tenant: 'true' } },
      10,
      ['tenant-a', 'tenant-b', 'tenant-c'],
      3,
    ],
    ['{} as every namespace', {}, 10, ['kube-system', 'tenant-a', 'tenant-b', 'tenant-c'], 4],
    [
      'matchExpressions',
      { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] },
      10,
      ['kube-system', 'tenant-b', 'tenant-c'],
      3,
    ],
    [
      "the name label kube-apiserver sets on every namespace, also where a manifest's namespace lacks it",
      {
        matchExpressions: [
          { key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] },
        ],
      },
      10,
      ['tenant-a', 'tenant-b', 'tenant-c'],
      3,
    ],
    ['nothing', { matchLabels: { tenant: 'false' } }, 10, [], 0],
  ];
  for (const [what, selector, max, probed, matched] of cases) {
    it(`selects by ${what}; never a terminating namespace`, () => {
      const choice = chooseNamespaces(namespaces, selector, max);
      assert.deepEqual(choice, { matched, probed, sampled: matched > max });
    });
  }

  it('chooses the same namespaces whatever order the cache lists them in', () => {
    const selector = { matchLabels: { tenant: 'true' } };
    const once = chooseNamespaces(namespaces, selector, 2);
    const reversed = chooseNamespaces([...namespaces].reverse(), selector, 2);
    assert.deepEqual(reversed, once);
  });

  it('says how many matched, which were probed, and why not all', () => {
    const choice = chooseNamespaces(namespaces, { matchLabels: { tenant: 'true' } }, 2);
    assert.equal(
      describeChoice(choice, 2),
      'probed 2 of 3 matching namespaces (maxNamespaces 2, the first by name): tenant-a, tenant-b',
    );
    assert.equal(
      describeChoice(chooseNamespaces(namespaces, { matchLabels: { tier: 'gold' } }, 2), 2),
      'probed all 1 matching namespaces: tenant-a',
    );
  });
});

describe('a ClusterConnectivityTest in one namespace', () => {
  const test: ClusterConnectivityTest = {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ClusterConnectivityTest',
    metadata: { name: 'tenants', uid: 'u1', generation: 3 },
    spec: {
      namespaceSelector: { matchLabels: { tenant: 'true' } },
      maxNamespaces: 5,
      interval: '5m',
      flows: [
        {
          name: 'to-api',
          from: { labels: { app: 'probe' } },
          to: { service: 'api' },
          port: 80,
          expect: 'Allowed',
        },
      ],
    },
  };

  it('is the ConnectivityTest a user would write there: same flows, name, uid and generation', () => {
    assert.deepEqual(namespacedInstance(test, 'tenant-a'), {
      apiVersion: 'flowprobe.dev/v1alpha1',
      kind: 'ConnectivityTest',
      metadata: { name: 'tenants', namespace: 'tenant-a', uid: 'u1', generation: 3 },
      spec: { interval: '5m', flows: test.spec.flows },
    });
  });
});

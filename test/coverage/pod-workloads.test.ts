// The operator's workloads from its pod cache: pods grouped by their labels without the ones controllers set
// per revision or per pod, per namespace, worked out again only for a namespace whose pod list changed.
import { strict as assert } from 'node:assert';
import { PodWorkloads } from '../../src/coverage/pod-workloads.js';
import type { PodEndpoint } from '../../src/policy/index.js';

const pod = (namespace: string, name: string, labels: Record<string, string>, phase?: string) =>
  ({ kind: 'pod', namespace, name, labels, ports: [], ...(phase ? { phase } : {}) }) as PodEndpoint;

function lists(initial: Record<string, PodEndpoint[]>) {
  const byNs = new Map(Object.entries(initial));
  let reads = 0;
  return {
    byNs,
    reads: () => reads,
    source: {
      namespaces: () => byNs.keys(),
      podsIn: (ns: string) => {
        reads += 1;
        return byNs.get(ns) ?? [];
      },
    },
  };
}

describe('PodWorkloads', () => {
  it("groups a Deployment's pods across rollouts, a StatefulSet's pods and a Job's pods into one workload each", () => {
    const web = [
      pod('shop', 'web-a1', { app: 'web', 'pod-template-hash': '5d8f' }),
      pod('shop', 'web-b1', { app: 'web', 'pod-template-hash': '77c4' }),
    ];
    const db = [0, 1].map((i) =>
      pod('shop', `db-${i}`, {
        app: 'db',
        'controller-revision-hash': 'db-6b9',
        'statefulset.kubernetes.io/pod-name': `db-${i}`,
        'apps.kubernetes.io/pod-index': `${i}`,
      }),
    );
    const job = pod('shop', 'migrate-x', {
      'batch.kubernetes.io/job-name': 'migrate',
      'job-name': 'migrate',
      app: 'migrate',
    });
    const done = pod('shop', 'migrate-old', { app: 'migrate-old' }, 'Succeeded');
    const { source } = lists({ shop: [...web, ...db, job, done] });
    const w = new PodWorkloads(source);
    assert.deepEqual(
      w.list().map((x) => [x.name, x.pods.length]),
      [
        ['{app=web}', 2],
        ['{app=db}', 2],
        ['{app=migrate}', 1],
      ],
    );
    assert.equal(w.of(web[1] as PodEndpoint)?.name, '{app=web}');
    assert.equal(w.of(done), undefined);
  });

  it('works a namespace out again only when its pod list is a new one', () => {
    const a = [pod('a', 'x', { app: 'x' })];
    const b = [pod('b', 'y', { app: 'y' })];
    const l = lists({ a, b });
    const w = new PodWorkloads(l.source);
    const first = w.list();
    const again = w.list();
    assert.equal(again[0], first[0]);
    assert.equal(again[1], first[1]);
    l.byNs.set('b', [...b, pod('b', 'z', { app: 'z' })]);
    const after = w.list();
    assert.equal(after[0], first[0], "a's workload is the one worked out before");
    assert.deepEqual(
      after.map((x) => x.name),
      ['{app=x}', '{app=y}', '{app=z}'],
    );
  });
});

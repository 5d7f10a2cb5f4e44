// A long-running operator must not grow with the cluster's history: clusters that create a namespace per CI
// run or preview environment see tens of thousands come and go. The pod change log (cached-pods.ts) and the
// string table of the pod cache (interner.ts) must stay bounded by what is live, while every prediction
// still sees every change.
import { strict as assert } from 'node:assert';
import { Interner } from '../../src/kube/interner.js';
import type { PodObject, WireObject } from '../../src/kube/objects.js';
import { Predictor, type ClusterObjects } from '../../src/run/predict.js';
import { FakePodCache } from '../support/fake-pod-cache.js';
import { WEB_TO_API } from '../support/web-to-api.js';

const pod = (namespace: string, name = 'api-1'): PodObject => ({
  metadata: { name, namespace, labels: { app: 'api' } },
  spec: {
    serviceAccountName: `sa-${namespace}`,
    containers: [{ name: 'api', ports: [{ containerPort: 8080 }] }],
  },
  status: { phase: 'Running', podIP: '10.1.0.7' },
});

function cluster(cache: FakePodCache): ClusterObjects {
  const namespaces: WireObject[] = [{ metadata: { name: 'prod' } }];
  return { namespaces, pods: cache.source, services: [], policies: [] };
}

const predicted = (p: Predictor, cache: FakePodCache) =>
  p.predict(WEB_TO_API, cluster(cache)).get('web-to-api')?.predicted;

describe('the pod cache’s tables stay bounded under namespace churn', function () {
  this.timeout(60_000);

  it('a churn of 10k short-lived namespaces, each seen by a prediction, leaves the change log bounded', () => {
    const cache = new FakePodCache([pod('prod')]);
    const p = new Predictor();
    for (let i = 0; i < 10_000; i++) {
      cache.apply(pod(`preview-${i}`));
      cache.remove(`preview-${i}`, 'api-1');
      predicted(p, cache);
    }
    assert.ok(cache.source.namespacesTracked <= 2048, `${cache.source.namespacesTracked} namespaces tracked`);
    assert.equal(p.snapshotsBuilt, 1, 'the one reader never had to read every pod again');
  });

  it('a second reader that did not look while the log was compacted reads every pod again, and sees the changes', () => {
    const cache = new FakePodCache([pod('prod')]);
    const [a, b] = [new Predictor(), new Predictor()];
    assert.equal(predicted(a, cache), 'Allowed');
    assert.equal(predicted(b, cache), 'Allowed');
    cache.remove('prod', 'api-1');
    for (let i = 0; i < 5_000; i++) {
      cache.apply(pod(`preview-${i}`));
      cache.remove(`preview-${i}`, 'api-1');
      predicted(a, cache);
    }
    // b's view is from before api-1 went: the change of `prod` was compacted away, so b must re-read.
    assert.equal(predicted(b, cache), 'Unknown');
  });

  it('a churn of 100k namespace and service-account names leaves the string table bounded', () => {
    const interner = new Interner();
    for (let i = 0; i < 100_000; i++) interner.string(`preview-${i}`);
    assert.ok(interner.stringCount <= 16_384, `${interner.stringCount} strings held`);
  });
});

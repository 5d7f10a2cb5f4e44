// Inputs the CRD accepts must run, in the local FAKE cluster (see harness.ts for what is real and what is
// fake): a test that passes the API server and then fails every reconcile writes no status at all.
import { strict as assert } from 'node:assert';
import { testLabelValue } from '../../src/plan/labels.js';
import {
  connectivityTest,
  createTest,
  seedNamespace,
  statusFor,
  useFakeCluster,
  watchPods,
} from './harness.js';

describe('inputs the CRD accepts, run by the operator in a local FAKE cluster', function () {
  this.timeout(180_000);
  const env = useFakeCluster('enforcing', ['operator']);

  // RFC 3986 sections 3.3-3.4: "$" "'" "(" ")" "*" ";" "!" are path and query characters. OData's system
  // query options start with "$" (OData v4 URL conventions, section 5.1).
  it('probes an HTTP path with an OData query, and its result lands in the status', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'odata', []);
    const paths = [
      '/odata/Products?$top=1',
      "/odata/Products?$filter=(Name%20eq%20'a;b')&$select=*",
      '/q?in=a|b',
    ];
    await createTest(
      cluster,
      connectivityTest(
        'odata',
        'odata-paths',
        paths.map((path, i) => ({
          name: `path-${i}`,
          from: { labels: { app: 'client' } },
          to: { podSelector: { matchLabels: { app: 'web' } } },
          port: 8080,
          http: { path },
          expect: 'Allowed',
        })),
      ),
    );
    const status = await statusFor(cluster, 'odata', 'odata-paths');
    assert.deepEqual(
      (status.results ?? []).map((r) => [r.flow, r.outcome, r.httpStatus, r.verdict]),
      paths.map((_, i) => [`path-${i}`, 'Connected', 200, 'Pass']),
      JSON.stringify(status.results),
    );
  });

  // A name may have 253 characters, a label value 63 (apimachinery IsValidLabelValue), and the API
  // server refuses a pod with a longer one.
  it('runs a test whose name is longer than a label value, and its pods are found by their label', async () => {
    const { cluster } = env;
    await seedNamespace(cluster, 'longname', []);
    const name = `${'network-policy-baseline-for-the-payments-service-in-production-'.repeat(2)}v2`;
    const watching = await watchPods(cluster, 'longname', `flowprobe.dev/test=${testLabelValue(name)}`);
    await createTest(
      cluster,
      connectivityTest('longname', name, [
        {
          name: 'client-to-web',
          from: { labels: { app: 'client' } },
          to: { podSelector: { matchLabels: { app: 'web' } } },
          port: 8080,
          expect: 'Allowed',
        },
      ]),
    );
    const status = await statusFor(cluster, 'longname', name);
    watching.stop();
    const [r] = status.results ?? [];
    assert.deepEqual([r?.outcome, r?.verdict], ['Connected', 'Pass'], r?.diagnosis);
    assert.equal(watching.pods.length, 1, 'its probe pod was selected by the flowprobe.dev/test label');
  });
});

// The cases that once passed the CRD and `flowprobe validate` and then failed every reconcile: each is now
// either refused by both, at the same field, or accepted by both and turned into a probe pod the API
// server admits. The CRD side is the shipped crds/ file, enforced by the FakeApiServer (schema and CEL).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { withDefaults } from '../../src/api/defaults.js';
import type { ConnectivityTest, Flow } from '../../src/api/types.js';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { probePod } from '../../src/plan/probe-pod.js';
import { planRun } from '../../src/plan/run-plan.js';
import { probeCommand } from '../../src/probe/command.js';
import { settleOptions } from '../../src/probe/settle.js';
import { FakeApiServer, type KubeObject } from '../support/fake-apiserver/index.js';

const CRD = parse(
  readFileSync(new URL('../../crds/connectivitytests.flowprobe.dev.yaml', import.meta.url), 'utf8'),
) as KubeObject;

const FLOW: Flow = {
  name: 'f',
  from: { labels: { app: 'client' } },
  to: { ip: '10.0.5.10' },
  port: 8080,
  expect: 'Allowed',
};

function test(name: string, flow: Partial<Flow>): ConnectivityTest {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name, namespace: 'default' },
    spec: { flows: [{ ...FLOW, ...flow }] },
  };
}

const LONG_NAME = `${'payments-egress-baseline-'.repeat(4)}v2`;

const ACCEPTED: [string, ConnectivityTest][] = [
  ['an OData query path', test('t', { http: { path: '/odata/Products?$top=1' } })],
  ["a path with ! $ ' ( ) * ;", test('t', { http: { path: "/a!$'()*;b?c=(1)" } })],
  ['a query with |, which the probe sends as %7C', test('t', { http: { path: '/q?in=a|b' } })],
  ['a test name longer than a label value', test(LONG_NAME, {})],
  ['an IPv6 address', test('t', { to: { ip: 'fd00:10:96::a' } })],
  ['an IPv6 address with its family', test('t', { to: { ip: '2001:db8::1' }, ipFamily: 'IPv6' })],
];

/** The API server names a failed pattern by the pattern itself, as kube-apiserver does. */
const PATTERN = /should match '\^\/\(/;

const REFUSED: [string, ConnectivityTest, string, RegExp, RegExp?][] = [
  [
    'an IPv4-mapped IPv6 address',
    test('t', { to: { ip: '::ffff:10.0.5.10' } }),
    'spec.flows[0].to.ip',
    /IPv4-mapped/,
  ],
  [
    'an IPv6 family for an IPv4 address',
    test('t', { to: { ip: '10.0.5.10' }, ipFamily: 'IPv6' }),
    'spec.flows[0].ipFamily',
    /must be the family of to.ip/,
  ],
  [
    'a path with a space',
    test('t', { http: { path: '/a b' } }),
    'spec.flows[0].http.path',
    /RFC 3986/,
    PATTERN,
  ],
  [
    'a path with a bad %-escape',
    test('t', { http: { path: '/100%' } }),
    'spec.flows[0].http.path',
    /RFC 3986/,
    PATTERN,
  ],
  [
    'a path too long for the probe once | is sent as %7C',
    test('t', { http: { path: `/${'|'.repeat(400)}` } }),
    'spec.flows[0].http.path',
    /each \| counting as 3/,
  ],
  [
    'an identity with a flowprobe.dev/ label key',
    test('t', { from: { labels: { app: 'client', 'flowprobe.dev/run-id': 'x' } } }),
    'spec.flows[0].from.labels',
    /reserves for its probe pods/,
  ],
];

/** The probe pods a run of this test would create, as the operator builds them. */
function probePods(t: ConnectivityTest): KubeObject[] {
  const plan = planRun({ namespace: 'default', spec: withDefaults(t.spec), pods: [] });
  assert.deepEqual(plan.unplanned, []);
  return plan.identities.map(
    (identity) =>
      probePod({
        test: { name: t.metadata.name ?? '', namespace: 'default', uid: 'uid-1' },
        runId: '1-abc',
        identityLabels: identity.labels,
        identityName: identity.name,
        image: 'busybox:1.37.0',
        command: probeCommand(
          identity.probes.map((p) => p.spec),
          settleOptions(3),
        ),
        deadlineSeconds: 120,
        probeCount: identity.probes.length,
        ...(identity.serviceAccountName ? { serviceAccountName: identity.serviceAccountName } : {}),
      }) as unknown as KubeObject,
  );
}

describe('the CRD, flowprobe validate and the probe agree on what a ConnectivityTest may hold', () => {
  let server: FakeApiServer;
  before(async () => {
    const namespaces = ['default', ...ACCEPTED.map((_, i) => `ns-${i}`)];
    server = await FakeApiServer.start({ objects: [CRD], namespaces });
  });
  after(() => server.stop());

  ACCEPTED.forEach(([what, t], i) => {
    it(`accepts ${what}, and the probe pod for it is admitted`, async () => {
      assert.deepEqual(validateConnectivityTest(t), []);
      await server.create({
        ...t,
        metadata: { ...t.metadata, namespace: `ns-${i}` },
      });
      for (const pod of probePods(t)) await server.create(pod);
    });
  });

  for (const [what, t, field, message, crdMessage] of REFUSED) {
    it(`refuses ${what} at ${field}, with the same reason in both`, async () => {
      const problems = validateConnectivityTest(t);
      assert.deepEqual(
        problems.map((p) => p.path),
        [field],
      );
      assert.match(problems[0]!.message, message);
      const err = await server.create(t as unknown as KubeObject).then(
        () => assert.fail('the API server accepted it'),
        (e: unknown) => e as { code: number; details?: { causes?: { field: string; message: string }[] } },
      );
      assert.equal(err.code, 422);
      const causes = err.details?.causes ?? [];
      assert.deepEqual(
        causes.map((c) => c.field),
        [field],
      );
      assert.match(causes[0]!.message, crdMessage ?? message);
    });
  }
});

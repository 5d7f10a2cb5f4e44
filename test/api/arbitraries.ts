// fast-check generators of ConnectivityTests that are well typed (so every CEL rule gets evaluated) but
// break the cross-field rules often: optional fields come and go, names collide, label keys go bad.
import fc from 'fast-check';

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

const labelKey = fc.constantFrom(
  'app',
  'tier',
  'app.kubernetes.io/name',
  'example.com/team',
  'bad key',
  '-x',
  'A/b',
  'flowprobe.dev/test',
);
const labels = fc.dictionary(labelKey, fc.constantFrom('web', 'api', ''), { maxKeys: 3 });

const requirement = fc.record(
  {
    key: fc.constantFrom('app', 'tier'),
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist'),
    values: fc.array(fc.constantFrom('web', 'api'), { maxLength: 2 }),
  },
  { requiredKeys: ['key', 'operator'] },
);

const selector = fc.record(
  { matchLabels: labels, matchExpressions: fc.array(requirement, { maxLength: 2 }) },
  { requiredKeys: [] },
);

const goodLabels = fc.dictionary(fc.constantFrom('app', 'tier'), fc.constantFrom('web', 'api'), {
  minKeys: 1,
  maxKeys: 2,
});

/** Half well-formed (so valid tests occur), half anything goes. */
const from = fc.oneof(
  fc.oneof(
    fc.record({ podSelector: fc.record({ matchLabels: goodLabels }) }),
    fc.record(
      { labels: goodLabels, serviceAccountName: fc.constantFrom('api', 'web') },
      { requiredKeys: ['labels'] },
    ),
  ),
  fc.record(
    { podSelector: selector, labels, serviceAccountName: fc.constantFrom('api', 'web') },
    { requiredKeys: [] },
  ),
);

const namespace = fc.constantFrom('production', 'kube-system');
const service = fc.constantFrom('api', 'postgres');
const host = fc.constantFrom('api.example.com', '10.0.5.10', 'kube-dns.kube-system.svc.cluster.local');
const ip = fc.constantFrom('10.0.5.10', '169.254.169.254', '2001:db8::1', '::ffff:10.0.5.10');

const to = fc.oneof(
  fc.oneof(
    fc.record(
      { podSelector: fc.record({ matchLabels: goodLabels }), namespace },
      { requiredKeys: ['podSelector'] },
    ),
    fc.record({ service, namespace }, { requiredKeys: ['service'] }),
    fc.record({ host: fc.constant('api.example.com') }),
    fc.record({ ip }),
  ),
  fc.record({ podSelector: selector, namespace, service, host, ip }, { requiredKeys: [] }),
);

const plainFlow = fc.record(
  {
    name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'frontend-to-api', 'dns'),
    from,
    to,
    port: fc.integer({ min: 1, max: 65535 }),
    protocol: fc.constantFrom('TCP', 'UDP'),
    http: fc.record(
      { path: fc.constantFrom('/', '/healthz', '/a?b=c|d', `/${'|'.repeat(400)}`) },
      { requiredKeys: [] },
    ),
    expect: fc.constantFrom('Allowed', 'Denied'),
    timeoutSeconds: fc.integer({ min: 2, max: 60 }),
    placement: fc.constantFrom('SameNode', 'OtherNode', 'EachNode'),
    ipFamily: fc.constantFrom('IPv4', 'IPv6'),
  },
  { requiredKeys: ['name', 'from', 'to', 'port', 'expect'] },
);

// A DNS check on one flow in five: with http on half the flows, more would leave few valid tests.
const dnsName = fc.constantFrom('kubernetes.default.svc.cluster.local', 'example.com.');
const flow = fc
  .tuple(plainFlow, fc.nat(4), dnsName)
  .map(([f, n, name]) => (n === 0 ? { ...f, dns: { name } } : f));

export const connectivityTest = fc.record({
  apiVersion: fc.constant('flowprobe.dev/v1alpha1'),
  kind: fc.constant('ConnectivityTest'),
  metadata: fc.record({ name: fc.constant('t'), namespace: fc.constant('production') }),
  spec: fc.record(
    {
      interval: optional(fc.constantFrom('10s', '29s', '30s', '5m', '1h30m', '0m45s')),
      timeoutSeconds: fc.integer({ min: 2, max: 60 }),
      startupGraceSeconds: fc.integer({ min: 0, max: 60 }),
      suspend: fc.boolean(),
      refusedMeans: fc.constantFrom('Allowed', 'Denied'),
      flows: fc.array(flow, { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: ['flows'] },
  ),
});

// explain reads the network-policy-api's cluster-scoped kinds from manifests and predicts through the
// tiers (kubernetes-sigs/network-policy-api commit 0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159: Admin →
// NetworkPolicy → Baseline → default allow), names the deciding rule, and rejects what the CRD schemas
// would, with field paths.
import { strict as assert } from 'node:assert';
import { ctest, deployment, explainYaml, pod, policy, report, result } from './helpers.js';

const ns = (name: string, labels = '{}') => `apiVersion: v1
kind: Namespace
metadata: { name: ${name}, labels: ${labels} }`;

const cnp = (name: string, spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: ${name} }
spec: ${spec}`;

const anp = (name: string, spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: ${name} }
spec: ${spec}`;

const banp = (name: string, spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: { name: ${name} }
spec: ${spec}`;

const cluster = [
  ns('shop', '{ tenant: shop }'),
  ns('billing', '{ tenant: billing }'),
  pod('shop', 'web', '{ app: web }', '10.1.0.1'),
  pod('billing', 'api', '{ app: api }', '10.2.0.1', '[{ name: http, containerPort: 8080 }]'),
  pod('billing', 'worker', '{ app: worker }', '10.2.0.2'),
];

const denyMetadata = cnp(
  'deny-metadata',
  `{ tier: Admin, priority: 5, subject: { namespaces: {} },
     egress: [{ name: block, action: Deny, to: [{ networks: [169.254.169.254/32] }] }] }`,
);
const tenantIsolation = cnp(
  'tenant-isolation',
  `{ tier: Baseline, priority: 10, subject: { namespaces: { matchExpressions: [{ key: tenant, operator: Exists }] } },
     ingress: [{ name: other-tenants, action: Deny, from: [{ namespaces: { matchExpressions: [{ key: tenant, operator: Exists }] } }] }] }`,
);
const billingOpensApi = policy(
  'billing',
  'allow-shop',
  `{ podSelector: { matchLabels: { app: api } },
     ingress: [{ from: [{ namespaceSelector: { matchLabels: { tenant: shop } }, podSelector: { matchLabels: { app: web } } }], ports: [{ port: http }] }] }`,
);

describe('explain with cluster-scoped policies', () => {
  it('an Admin ClusterNetworkPolicy Deny decides, and the reason names tier, rule and priority', () => {
    const r = report(
      ...cluster,
      denyMetadata,
      ctest(
        'shop',
        '{ name: meta, from: { labels: { app: web } }, to: { ip: 169.254.169.254 }, port: 80, expect: Denied }',
      ),
    );
    const f = result(r, 'meta');
    assert.equal(f.predicted, 'Denied');
    assert.ok(
      f.reasons.includes("egress: [Admin] cnp/deny-metadata egress rule 'block' (priority 5) Deny"),
      f.reasons.join('\n'),
    );
  });

  it('a Baseline Deny isolates tenants where no NetworkPolicy does, and the NetworkPolicy opens its one path', () => {
    const r = report(
      ...cluster,
      tenantIsolation,
      billingOpensApi,
      ctest(
        'shop',
        '{ name: to-api, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } }, namespace: billing }, port: 8080, expect: Allowed }',
        '{ name: to-worker, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: worker } }, namespace: billing }, port: 8080, expect: Denied }',
      ),
    );
    assert.equal(result(r, 'to-api').predicted, 'Allowed');
    assert.equal(result(r, 'to-worker').predicted, 'Denied');
    assert.ok(
      result(r, 'to-worker').reasons.some((x) =>
        /^ingress: \[NetworkPolicy\] open — .* → \[Baseline\] cnp\/tenant-isolation ingress rule 'other-tenants' \(priority 10\) Deny$/.test(
          x,
        ),
      ),
    );
    assert.ok(
      r.findings.some(
        (x) =>
          x.policy === 'cnp/tenant-isolation' &&
          /never apply to billing\/api: NetworkPolicy billing\/allow-shop isolates it for Ingress/.test(
            x.message,
          ),
      ),
      JSON.stringify(r.findings),
    );
  });

  it('diagnoses a Baseline Deny that a NetworkPolicy quietly overrides', () => {
    const tooWide = policy(
      'billing',
      'allow-all-in',
      '{ podSelector: { matchLabels: { app: api } }, ingress: [{}] }',
    );
    const r = report(
      ...cluster,
      tenantIsolation,
      tooWide,
      ctest(
        'shop',
        '{ name: to-api, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } }, namespace: billing }, port: 8080, expect: Denied }',
      ),
    );
    const f = result(r, 'to-api');
    assert.equal(f.predicted, 'Allowed');
    assert.match(
      f.diagnosis.join('\n'),
      /^baseline overridden: \[Baseline\] cnp\/tenant-isolation ingress rule 'other-tenants' \(priority 10\) Deny would deny this flow, but billing\/allow-all-in isolates the destination for Ingress/m,
    );
  });

  it('says an Admin Deny makes a declared Allowed flow impossible, as a diagnosis and a finding', () => {
    const wide = cnp(
      'deny-link-local',
      '{ tier: Admin, priority: 5, subject: { namespaces: {} }, egress: [{ name: block, action: Deny, to: [{ networks: [169.254.0.0/16] }] }] }',
    );
    const r = report(
      ...cluster,
      wide,
      ctest(
        'shop',
        '{ name: node-dns, from: { labels: { app: web } }, to: { ip: 169.254.20.10 }, port: 53, protocol: UDP, expect: Allowed }',
      ),
    );
    const f = result(r, 'node-dns');
    assert.equal(f.agrees, false);
    assert.match(
      f.diagnosis[0]!,
      /^admin deny: cnp\/deny-link-local egress rule 'block' \(priority 5\) Deny denies this flow before any NetworkPolicy is consulted/,
    );
    assert.ok(
      r.findings.some(
        (x) =>
          x.policy === 'cnp/deny-link-local' &&
          /makes the declared Allowed flow shop\/t node-dns impossible/.test(x.message),
      ),
    );
  });

  it('finds two Admin policies that share a priority and select the same pods, and predicts Unknown where they disagree', () => {
    const a = cnp(
      'a',
      '{ tier: Admin, priority: 10, subject: { namespaces: {} }, egress: [{ action: Deny, to: [{ namespaces: {} }] }] }',
    );
    const b = cnp(
      'b',
      '{ tier: Admin, priority: 10, subject: { namespaces: { matchLabels: { tenant: shop } } }, egress: [{ action: Accept, to: [{ namespaces: {} }] }] }',
    );
    const r = report(
      ...cluster,
      a,
      b,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: worker } }, namespace: billing }, port: 80, expect: Denied }',
      ),
    );
    assert.equal(result(r, 'f').predicted, 'Unknown');
    assert.match(
      result(r, 'f').diagnosis.join('\n'),
      /undefined order: cnp\/a and cnp\/b share priority 10 in the Admin tier and both match this flow; the API leaves their order undefined/,
    );
    assert.ok(
      r.findings.some(
        (x) =>
          x.policy === 'cnp/a' &&
          /shares priority 10 in the Admin tier with cnp\/b, and both select shop\/web/.test(x.message),
      ),
    );
  });

  it('says when an Admin Pass falls through to default allow', () => {
    const pass = cnp(
      'delegate',
      '{ tier: Admin, priority: 1, subject: { namespaces: {} }, ingress: [{ name: to-owners, action: Pass, from: [{ namespaces: {} }] }] }',
    );
    const r = report(
      ...cluster,
      pass,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: worker } }, namespace: billing }, port: 80, expect: Denied }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Allowed');
    assert.match(
      f.diagnosis.join('\n'),
      /pass falls through: \[Admin\] cnp\/delegate ingress rule 'to-owners' \(priority 1\) Pass hands the flow on/,
    );
    assert.ok(
      r.findings.some(
        (x) =>
          x.policy === 'cnp/delegate' &&
          /ingress Pass rule 'to-owners': nothing below decides/.test(x.message),
      ),
    );
  });

  it('reads v1alpha1 AdminNetworkPolicy (Allow) and BaselineAdminNetworkPolicy', () => {
    const allow = anp(
      'ops',
      '{ priority: 3, subject: { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: worker } } } }, ingress: [{ name: from-shop, action: Allow, from: [{ namespaces: { matchLabels: { tenant: shop } } }], ports: [{ portRange: { start: 8000, end: 8100 } }] }] }',
    );
    const base = banp(
      'default',
      '{ subject: { namespaces: {} }, ingress: [{ action: Deny, from: [{ namespaces: {} }] }] }',
    );
    const denyWorker = policy(
      'billing',
      'deny-worker',
      '{ podSelector: { matchLabels: { app: worker } }, policyTypes: [Ingress] }',
    );
    const r = report(
      ...cluster,
      allow,
      base,
      denyWorker,
      ctest(
        'shop',
        '{ name: in-range, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: worker } }, namespace: billing }, port: 8080, expect: Allowed }',
        '{ name: out-of-range, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: worker } }, namespace: billing }, port: 9000, expect: Denied }',
        '{ name: to-api, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } }, namespace: billing }, port: 8080, expect: Denied }',
      ),
    );
    assert.equal(result(r, 'in-range').predicted, 'Allowed');
    assert.ok(
      result(r, 'in-range').reasons.includes(
        "ingress: [Admin] anp/ops ingress rule 'from-shop' (priority 3) Allow",
      ),
    );
    assert.equal(result(r, 'out-of-range').predicted, 'Denied');
    assert.equal(result(r, 'to-api').predicted, 'Denied');
    assert.match(result(r, 'to-api').reasons.join('\n'), /\[Baseline\] banp\/default ingress rule 0 Deny/);
  });

  // crd.antrea.io's ClusterNetworkPolicy shares the kind's name; it is read as an out-of-model policy
  // (test/explain/out-of-model.test.ts). An apiVersion of no known project is skipped like any other kind.
  it('leaves other apiVersions of these kinds alone, as kinds it does not read', () => {
    const other = `apiVersion: policy.example.com/v1
kind: ClusterNetworkPolicy
metadata: { name: x }
spec: { priority: 1 }`;
    const r = report(
      ...cluster,
      other,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } }, namespace: billing }, port: 8080, expect: Allowed }',
      ),
    );
    assert.equal(result(r, 'f').predicted, 'Allowed');
  });
});

describe('explain rejects cluster-scoped policies the API server would', () => {
  const errorsOf = (...docs: string[]): string => {
    const outcome = explainYaml(
      ...cluster,
      ...docs,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { ip: 1.1.1.1 }, port: 80, expect: Allowed }',
      ),
    );
    assert.ok('errors' in outcome, 'expected errors');
    return outcome.errors.map((e) => e.message).join('\n');
  };

  it('names missing tier and priority, an unknown action, an empty peer list', () => {
    const msg = errorsOf(cnp('x', '{ subject: { namespaces: {} }, egress: [{ action: Allow, to: [] }] }'));
    assert.match(msg, /ClusterNetworkPolicy x is invalid/);
    assert.match(msg, /spec\.tier: is required: Admin or Baseline/);
    assert.match(msg, /spec\.priority: is required/);
    assert.match(msg, /spec\.egress\[0\]\.action: must be one of Accept, Deny, Pass/);
    assert.match(msg, /spec\.egress\[0\]\.to: must have at least 1 peer/);
  });

  it('names a priority out of range, two subject fields, and a peer with two fields', () => {
    const msg = errorsOf(
      cnp(
        'x',
        '{ tier: Admin, priority: 1001, subject: { namespaces: {}, pods: { podSelector: {} } }, ingress: [{ action: Deny, from: [{ namespaces: {}, pods: { podSelector: {} } }] }] }',
      ),
    );
    assert.match(msg, /spec\.priority: must be between 0 and 1000/);
    assert.match(msg, /spec\.subject: must set exactly one of namespaces, pods \(has namespaces, pods\)/);
    assert.match(msg, /spec\.ingress\[0\]\.from\[0\]: must set exactly one of namespaces, pods/);
  });

  it('names networks in an ingress peer, a bad CIDR, a bad port range and a named port with networks', () => {
    const msg = errorsOf(
      cnp(
        'x',
        `{ tier: Admin, priority: 1, subject: { namespaces: {} },
           ingress: [{ action: Deny, from: [{ networks: [10.0.0.0/8] }] }],
           egress: [{ action: Deny, to: [{ networks: [10.0.0.0/33] }], protocols: [{ tcp: { destinationPort: { range: { start: 90, end: 80 } } } }] },
                    { action: Deny, to: [{ networks: [10.0.0.0/8] }], protocols: [{ destinationNamedPort: http }] }] }`,
      ),
    );
    assert.match(msg, /spec\.ingress\[0\]\.from\[0\]: must set exactly one of namespaces, pods/);
    assert.match(msg, /spec\.egress\[0\]\.to\[0\]\.networks\[0\]: Invalid CIDR format provided/);
    assert.match(
      msg,
      /spec\.egress\[0\]\.protocols\[0\]\.tcp\.destinationPort\.range: Start port must be less than End port/,
    );
    assert.match(msg, /spec\.egress\[1\]: networks\/nodes\/domainNames peer cannot be set with namedPorts/);
  });

  it('names a BaselineAdminNetworkPolicy not called default, and its Pass action', () => {
    const msg = errorsOf(
      banp(
        'tenants',
        '{ subject: { namespaces: {} }, ingress: [{ action: Pass, from: [{ namespaces: {} }] }] }',
      ),
    );
    assert.match(msg, /BaselineAdminNetworkPolicy tenants is invalid/);
    assert.match(msg, /metadata\.name: Only one baseline admin network policy with metadata\.name="default"/);
    assert.match(msg, /spec\.ingress\[0\]\.action: must be one of Allow, Deny/);
  });

  it('names an AdminNetworkPolicy pods subject without its namespaceSelector', () => {
    const msg = errorsOf(
      anp(
        'x',
        '{ priority: 1, subject: { pods: { podSelector: {} } }, egress: [{ action: Deny, to: [{ namespaces: {} }] }] }',
      ),
    );
    assert.match(msg, /spec\.subject\.pods\.namespaceSelector: is required/);
  });
});

describe('explain with a cluster policy, workloads standing for pods', () => {
  it('says Unknown, naming the networks peer, when a template pod has no address and the peer decides', () => {
    const r = report(
      ns('shop'),
      deployment('shop', 'web', '{ app: web }'),
      deployment('shop', 'db', '{ app: db }'),
      cnp(
        'deny-db-net',
        '{ tier: Admin, priority: 1, subject: { namespaces: {} }, egress: [{ action: Deny, to: [{ networks: [10.9.0.0/16] }] }] }',
      ),
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: db } } }, port: 5432, expect: Allowed }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.match(f.diagnosis.join('\n'), /address unknown: a networks peer decides this flow/);
  });
});

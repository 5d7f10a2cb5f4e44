// Which rule, peer and isolation a declared flow exercises: explain's own predictions over manifests in
// memory (the real loader, validator, engine and collector), read back from the coverage report.
import { strict as assert } from 'node:assert';
import { validateConnectivityTest } from '../../src/api/validate.js';
import type { CoverageReport, RuleCoverage } from '../../src/coverage/index.js';
import { explainObjects } from '../../src/explain/index.js';
import { parseDocuments } from '../../src/manifest/parse-documents.js';
import { ctest, deployment, pod, policy, service } from '../explain/helpers.js';

function coverage(...docs: string[]): CoverageReport {
  const outcome = explainObjects(
    parseDocuments('input.yaml', docs.join('\n---\n')),
    validateConnectivityTest,
    {
      coverage: true,
    },
  );
  if ('errors' in outcome) throw new Error(outcome.errors.map((e) => e.message).join('\n'));
  if (outcome.report.coverage === undefined) throw new Error('no coverage in the report');
  return outcome.report.coverage;
}

function rule(c: CoverageReport, policyName: string, direction: string, index: number): RuleCoverage {
  const hit = c.rules.find((r) => r.policy === policyName && r.direction === direction && r.rule === index);
  if (hit === undefined) throw new Error(`no rule ${policyName} ${direction} ${index}`);
  return hit;
}

function isolation(c: CoverageReport, policyName: string, direction: string) {
  const hit = c.isolations.find((i) => i.policy === policyName && i.direction === direction);
  if (hit === undefined) throw new Error(`no isolation ${policyName} ${direction}`);
  return hit;
}

const peersOf = (r: RuleCoverage) => r.peers.map((p) => p.exercised);

const namespace = (name: string, labels = '{}') =>
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${labels} }`;

// api admits on two rules: rule 0 from `admin` on 22, rule 1 from `web` OR `batch` on 8080.
const API_INGRESS = policy(
  'app',
  'api-ingress',
  `{ podSelector: { matchLabels: { app: api } }, policyTypes: [Ingress], ingress: [
     { from: [{ podSelector: { matchLabels: { app: admin } } }], ports: [{ port: 22 }] },
     { from: [{ podSelector: { matchLabels: { app: web } } }, { podSelector: { matchLabels: { app: batch } } }],
       ports: [{ port: 8080 }] } ] }`,
);
const WORKLOADS = [
  namespace('app'),
  deployment('app', 'api', '{ app: api }', '[{ containerPort: 8080 }]'),
  deployment('app', 'web', '{ app: web }'),
  deployment('app', 'batch', '{ app: batch }'),
  deployment('app', 'stranger', '{ app: stranger }'),
];
const flow = (name: string, from: string, to: string, port: number, expect: string) =>
  `{ name: ${name}, from: { podSelector: { matchLabels: { app: ${from} } } }, to: { podSelector: { matchLabels: { app: ${to} } } }, port: ${port}, expect: ${expect} }`;

describe('policy coverage: which rule and peer a declared flow exercises', () => {
  it('a flow allowed by rule 1 peer 0 covers exactly that peer of that rule, and no isolation', () => {
    const c = coverage(
      ...WORKLOADS,
      API_INGRESS,
      ctest('app', flow('web-to-api', 'web', 'api', 8080, 'Allowed')),
    );
    assert.equal(rule(c, 'api-ingress', 'ingress', 1).exercised, true);
    assert.deepEqual(peersOf(rule(c, 'api-ingress', 'ingress', 1)), [true, false]);
    assert.deepEqual(rule(c, 'api-ingress', 'ingress', 1).exercisedBy, ['app/t/web-to-api']);
    assert.equal(rule(c, 'api-ingress', 'ingress', 0).exercised, false);
    assert.deepEqual(peersOf(rule(c, 'api-ingress', 'ingress', 0)), [false]);
    assert.equal(isolation(c, 'api-ingress', 'ingress').exercised, false);
    assert.deepEqual(c.summary.rules, { exercised: 1, total: 2 });
    assert.deepEqual(c.summary.peers, { exercised: 1, total: 3 });
  });

  it('a denied flow covers no allow rule, on either side, but covers the isolation that denies it', () => {
    // `stranger` may send to api on 8080 (its own egress rule); api's ingress admits only web and batch.
    const strangerEgress = policy(
      'app',
      'stranger-egress',
      `{ podSelector: { matchLabels: { app: stranger } }, policyTypes: [Egress], egress: [
         { to: [{ podSelector: { matchLabels: { app: api } } }], ports: [{ port: 8080 }] } ] }`,
    );
    const c = coverage(
      ...WORKLOADS,
      API_INGRESS,
      strangerEgress,
      ctest('app', flow('stranger-not-to-api', 'stranger', 'api', 8080, 'Denied')),
    );
    assert.equal(
      c.rules.some((r) => r.exercised),
      false,
    );
    assert.equal(
      c.rules.flatMap((r) => r.peers).some((p) => p.exercised),
      false,
    );
    assert.deepEqual(isolation(c, 'api-ingress', 'ingress').exercisedBy, ['app/t/stranger-not-to-api']);
    // The egress side let it out; it denied nothing, so its isolation is not exercised either.
    assert.equal(isolation(c, 'stranger-egress', 'egress').exercised, false);
  });

  it('peers of one rule are ORed: a flow both admit covers both, a flow one admits covers that one', () => {
    // Rule 0: from namespaces labelled team=a OR from app=web pods of the policy's namespace.
    const orPolicy = policy(
      'app',
      'or-peers',
      `{ podSelector: { matchLabels: { app: api } }, policyTypes: [Ingress], ingress: [
         { from: [{ namespaceSelector: { matchLabels: { team: a } } }, { podSelector: { matchLabels: { app: web } } }] } ] }`,
    );
    const both = coverage(
      namespace('app', '{ team: a }'),
      ...WORKLOADS.slice(1),
      orPolicy,
      ctest('app', flow('web-to-api', 'web', 'api', 8080, 'Allowed')),
    );
    assert.deepEqual(peersOf(rule(both, 'or-peers', 'ingress', 0)), [true, true]);
    const one = coverage(
      namespace('app', '{ team: a }'),
      ...WORKLOADS.slice(1),
      orPolicy,
      ctest('app', flow('batch-to-api', 'batch', 'api', 8080, 'Allowed')),
    );
    assert.deepEqual(peersOf(rule(one, 'or-peers', 'ingress', 0)), [true, false]);
  });

  it('a rule without from covers its one "any peer" entry', () => {
    const open = policy(
      'app',
      'any-source',
      `{ podSelector: { matchLabels: { app: api } }, policyTypes: [Ingress], ingress: [ { ports: [{ port: 8080 }] } ] }`,
    );
    const c = coverage(...WORKLOADS, open, ctest('app', flow('web-to-api', 'web', 'api', 8080, 'Allowed')));
    assert.deepEqual(rule(c, 'any-source', 'ingress', 0).peers, [
      { peer: null, description: 'any peer', exercised: true },
    ]);
  });

  it('an Unknown prediction exercises nothing', () => {
    // web's egress admits only an ipBlock; a workload template has no address, so the flow is Unknown.
    const byAddress = policy(
      'app',
      'web-egress',
      `{ podSelector: { matchLabels: { app: web } }, policyTypes: [Egress], egress: [
         { to: [{ ipBlock: { cidr: 10.0.0.0/8 } }] } ] }`,
    );
    const c = coverage(
      ...WORKLOADS,
      byAddress,
      ctest('app', flow('web-to-api', 'web', 'api', 8080, 'Allowed')),
    );
    assert.equal(c.rules.some((r) => r.exercised) || c.isolations.some((i) => i.exercised), false);
  });

  it('a name-based target exercises the DNS rule the query needs', () => {
    const dnsOnly = policy(
      'app',
      'allow-dns',
      `{ podSelector: {}, policyTypes: [Egress], egress: [
         { to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } },
                  podSelector: { matchLabels: { k8s-app: kube-dns } } }],
           ports: [{ protocol: UDP, port: 53 }] } ] }`,
    );
    const c = coverage(
      ...WORKLOADS,
      dnsOnly,
      service('app', 'api', '{ selector: { app: api }, ports: [{ port: 80, targetPort: 8080 }] }'),
      ctest(
        'app',
        '{ name: web-to-api-by-name, from: { podSelector: { matchLabels: { app: web } } }, to: { service: api }, port: 80, expect: Denied }',
      ),
    );
    assert.deepEqual(rule(c, 'allow-dns', 'egress', 0).exercisedBy, ['app/t/web-to-api-by-name']);
    // The query is allowed, the connection to api on 8080 is denied by the same policy's isolation.
    assert.deepEqual(isolation(c, 'allow-dns', 'egress').exercisedBy, ['app/t/web-to-api-by-name']);
  });

  it('an Admin Deny that decides a flow is exercised; a Baseline rule a NetworkPolicy overrides is not', () => {
    const cluster = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: guard }
spec:
  tier: Admin
  priority: 5
  subject: { namespaces: {} }
  egress:
    - { name: no-metadata, action: Deny, to: [{ networks: [169.254.169.254/32] }] }
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: { name: floor }
spec:
  tier: Baseline
  priority: 5
  subject: { namespaces: {} }
  ingress:
    - { name: nobody, action: Deny, from: [{ namespaces: {} }] }`;
    const c = coverage(
      ...WORKLOADS,
      API_INGRESS,
      cluster,
      ctest(
        'app',
        '{ name: no-metadata, from: { podSelector: { matchLabels: { app: web } } }, to: { ip: 169.254.169.254 }, port: 80, expect: Denied }',
        flow('web-to-api', 'web', 'api', 8080, 'Allowed'),
      ),
    );
    const guard = c.rules.find((r) => r.policy === 'guard');
    assert.deepEqual(
      { tier: guard?.tier, name: guard?.name, action: guard?.action, exercisedBy: guard?.exercisedBy },
      { tier: 'Admin', name: 'no-metadata', action: 'Deny', exercisedBy: ['app/t/no-metadata'] },
    );
    assert.equal(c.rules.find((r) => r.policy === 'floor')?.exercised, false);
    assert.equal(rule(c, 'api-ingress', 'ingress', 1).exercised, true);
  });

  it('counts workloads by isolation and names those no flow reaches', () => {
    const c = coverage(
      ...WORKLOADS,
      pod('app', 'debug', '{ app: debug }', '10.1.2.3'),
      API_INGRESS,
      ctest('app', flow('web-to-api', 'web', 'api', 8080, 'Allowed')),
    );
    assert.deepEqual(c.summary.workloads, { total: 5, isolatedIngress: 1, isolatedEgress: 0, tested: 2 });
    const untested = c.workloads.filter((w) => w.testedBy.length === 0).map((w) => w.name);
    assert.deepEqual(untested, ['deployment/batch', 'deployment/stranger', 'debug']);
    const api = c.workloads.find((w) => w.name === 'deployment/api');
    assert.deepEqual(api?.exposure, ['egress: it can reach anything']);
  });
});

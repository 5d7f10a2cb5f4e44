// explain with CNI-specific policies in the manifests: a flow one of them may decide is Unknown and names
// it; one it cannot select is predicted from NetworkPolicy as before; staged Calico kinds change nothing.
import { strict as assert } from 'node:assert';
import { ctest, deployment, explainYaml, policy, report, result } from './helpers.js';

const web = deployment('shop', 'web', '{ app: web }');
const api = deployment('shop', 'api', '{ app: api }', '[{ name: http, containerPort: 8080 }]');
const denyApiIngress = policy('shop', 'api-deny', '{ podSelector: { matchLabels: { app: api } } }');
const webToApi = (expect: string) =>
  `{ name: f, from: { podSelector: { matchLabels: { app: web } } }, to: { podSelector: { matchLabels: { app: api } } }, port: 8080, expect: ${expect} }`;

function manifest(apiVersion: string, kind: string, meta: string, spec: string): string {
  return `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: ${meta}\n${spec}`;
}

const ciliumL7 = manifest(
  'cilium.io/v2',
  'CiliumNetworkPolicy',
  '{ name: l7-api, namespace: shop }',
  'spec: { endpointSelector: { matchLabels: { app: api } }, ingress: [{ fromEndpoints: [{ matchLabels: { app: web } }], toPorts: [{ ports: [{ port: "8080" }], rules: { http: [{ method: GET }] } }] }] }',
);

describe('explain with policies flowprobe does not model', () => {
  it('a CiliumNetworkPolicy selecting the destination makes a NetworkPolicy-denied flow Unknown, named', () => {
    const without = result(report(web, api, denyApiIngress, ctest('shop', webToApi('Denied'))), 'f');
    assert.equal(without.predicted, 'Denied');
    const f = result(report(web, api, denyApiIngress, ciliumL7, ctest('shop', webToApi('Denied'))), 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.equal(f.agrees, null);
    assert.equal(
      f.reasons[0],
      'CiliumNetworkPolicy shop/l7-api may select the destination (ingress); flowprobe does not model it',
    );
    assert.ok(f.reasons.includes('NetworkPolicy alone would predict Denied:'));
    assert.match(f.diagnosis[0] ?? '', /^out-of-model policy: CiliumNetworkPolicy shop\/l7-api may select/);
    assert.deepEqual(f.outOfModel, [
      { object: 'CiliumNetworkPolicy shop/l7-api', side: 'destination', direction: 'ingress' },
    ]);
  });

  it('an ingress-only Cilium policy on the source says nothing about its egress', () => {
    const onWeb = manifest(
      'cilium.io/v2',
      'CiliumNetworkPolicy',
      '{ name: web-in, namespace: shop }',
      'spec: { endpointSelector: { matchLabels: { app: web } }, ingress: [{}] }',
    );
    const f = result(report(web, api, denyApiIngress, onWeb, ctest('shop', webToApi('Denied'))), 'f');
    assert.equal(f.predicted, 'Denied');
    assert.equal(f.outOfModel, undefined);
  });

  it('Calico types decide the direction: [Ingress] on the source changes nothing, [Egress] does', () => {
    // Nothing isolates either side, so the source's egress decides nothing yet: a policy there may.
    const calico = (types: string) =>
      manifest(
        'projectcalico.org/v3',
        'NetworkPolicy',
        '{ name: web-pol, namespace: shop }',
        `spec: { selector: "app == 'web'", types: ${types} }`,
      );
    const ingressOnly = report(web, api, calico('[Ingress]'), ctest('shop', webToApi('Allowed')));
    assert.equal(result(ingressOnly, 'f').predicted, 'Allowed');
    const egress = result(report(web, api, calico('[Egress]'), ctest('shop', webToApi('Allowed'))), 'f');
    assert.equal(egress.predicted, 'Unknown');
    assert.match(
      egress.reasons[0] ?? '',
      /^Calico NetworkPolicy shop\/web-pol may select the source \(egress\)/,
    );
  });

  it('a Calico GlobalNetworkPolicy in its storage form (crd.projectcalico.org/v1) counts the same', () => {
    const gnp = manifest(
      'crd.projectcalico.org/v1',
      'GlobalNetworkPolicy',
      '{ name: deny-all }',
      'spec: { selector: "projectcalico.org/namespace == \'shop\'", types: [Ingress, Egress] }',
    );
    const f = result(report(web, api, gnp, ctest('shop', webToApi('Allowed'))), 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.match(f.reasons[0] ?? '', /^Calico GlobalNetworkPolicy deny-all may select the source \(egress\)/);
    assert.match(f.reasons[1] ?? '', /^Calico GlobalNetworkPolicy deny-all may select the destination/);
  });

  it('an unsupported Calico selector may select, and the reason says why', () => {
    const gnp = manifest(
      'projectcalico.org/v3',
      'GlobalNetworkPolicy',
      '{ name: prefix }',
      'spec: { selector: "app starts with \'ap\'", ingress: [{ action: Deny }] }',
    );
    const f = result(report(web, api, gnp, ctest('shop', webToApi('Allowed'))), 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.match(
      f.reasons[0] ?? '',
      /may select the destination \(ingress\) \(its selector uses the operator "starts with"/,
    );
  });

  it('an Antrea ClusterNetworkPolicy applied to the destination (v1beta1 and v1alpha1)', () => {
    for (const version of ['v1beta1', 'v1alpha1']) {
      const acnp = manifest(
        `crd.antrea.io/${version}`,
        'ClusterNetworkPolicy',
        '{ name: isolate-api }',
        'spec: { priority: 5, appliedTo: [{ podSelector: { matchLabels: { app: api } } }], ingress: [{ action: Drop }] }',
      );
      const f = result(report(web, api, acnp, ctest('shop', webToApi('Allowed'))), 'f');
      assert.equal(f.predicted, 'Unknown', version);
      assert.match(f.reasons[0] ?? '', /^Antrea ClusterNetworkPolicy isolate-api may select the destination/);
    }
  });

  it('staged Calico kinds are listed as not enforced and change no prediction', () => {
    const staged = ['StagedNetworkPolicy', 'StagedKubernetesNetworkPolicy', 'StagedGlobalNetworkPolicy'].map(
      (kind) =>
        manifest(
          'projectcalico.org/v3',
          kind,
          kind === 'StagedGlobalNetworkPolicy' ? '{ name: s }' : '{ name: s, namespace: shop }',
          'spec: { selector: all(), types: [Ingress, Egress] }',
        ),
    );
    const r = report(web, api, denyApiIngress, ...staged, ctest('shop', webToApi('Denied')));
    assert.equal(result(r, 'f').predicted, 'Denied');
    assert.deepEqual(
      r.findings.map((x) => x.policy),
      [
        'Calico StagedNetworkPolicy shop/s',
        'Calico StagedKubernetesNetworkPolicy shop/s',
        'Calico StagedGlobalNetworkPolicy s',
      ],
    );
    assert.ok(r.findings.every((x) => /^staged: .* does not enforce it/.test(x.message)));
  });

  it('findings list every out-of-model object read, even one that selects no flow', () => {
    const r = report(web, api, ciliumL7, ctest('shop', webToApi('Allowed')));
    assert.deepEqual(
      r.findings.map((x) => x.policy),
      ['CiliumNetworkPolicy shop/l7-api'],
    );
    assert.match(r.findings[0]?.message ?? '', /^not modelled: /);
  });

  it("Calico's mirror of a Kubernetes NetworkPolicy (knp.default.*) is not a second policy", () => {
    const mirror = manifest(
      'projectcalico.org/v3',
      'NetworkPolicy',
      '{ name: knp.default.api-deny, namespace: shop }',
      'spec: { selector: "app == \'api\'", types: [Ingress] }',
    );
    const r = report(web, api, denyApiIngress, mirror, ctest('shop', webToApi('Denied')));
    assert.equal(result(r, 'f').predicted, 'Denied');
    assert.deepEqual(r.findings, []);
  });

  it('with the source’s egress out of the model, explain no longer claims DNS egress is denied', () => {
    const svc = `apiVersion: v1\nkind: Service\nmetadata: { name: api, namespace: shop }\nspec: { selector: { app: api }, ports: [{ port: 80, targetPort: 8080 }] }`;
    const denyEgress = policy('shop', 'deny-egress', '{ podSelector: {}, policyTypes: [Egress] }');
    const byName = `{ name: f, from: { podSelector: { matchLabels: { app: web } } }, to: { service: api }, port: 80, expect: Allowed }`;
    const before = result(report(web, api, svc, denyEgress, ctest('shop', byName)), 'f');
    assert.equal(before.dnsAllowed, false);
    assert.match(before.diagnosis[0] ?? '', /^missing DNS egress/);
    const cnp = manifest(
      'cilium.io/v2',
      'CiliumNetworkPolicy',
      '{ name: web-out, namespace: shop }',
      'spec: { endpointSelector: {}, egress: [{ toEntities: [cluster] }] }',
    );
    const after = result(report(web, api, svc, denyEgress, cnp, ctest('shop', byName)), 'f');
    assert.equal(after.predicted, 'Unknown');
    assert.equal(after.dnsAllowed, undefined);
    assert.ok(!after.diagnosis.some((d) => d.startsWith('missing DNS egress')), after.diagnosis.join('\n'));
  });

  it('reports malformed objects with their field paths, as it does for NetworkPolicy', () => {
    const bad = [
      manifest('cilium.io/v2', 'CiliumNetworkPolicy', '{ name: a, namespace: shop }', 'status: {}'),
      manifest(
        'cilium.io/v2',
        'CiliumNetworkPolicy',
        '{ name: b, namespace: shop }',
        'spec: { nodeSelector: {}, ingress: "all" }',
      ),
      manifest(
        'projectcalico.org/v3',
        'NetworkPolicy',
        '{ name: c, namespace: shop }',
        'spec: { types: [Both], selector: 3 }',
      ),
      manifest(
        'crd.antrea.io/v1beta1',
        'ClusterNetworkPolicy',
        '{ name: d }',
        'spec: { ingress: [{ action: Drop, appliedTo: [{ serviceAccount: { namespace: shop } }] }], appliedTo: [{ group: g }] }',
      ),
    ];
    const outcome = explainYaml(web, ...bad, ctest('shop', webToApi('Allowed')));
    assert.ok('errors' in outcome);
    const problems = outcome.errors.map((e) => [e.object, e.problems.map((x) => `${x.path}: ${x.message}`)]);
    assert.deepEqual(problems, [
      ['CiliumNetworkPolicy shop/a', ['spec: spec or specs is required']],
      [
        'CiliumNetworkPolicy shop/b',
        [
          'spec.ingress: must be a list',
          'spec.nodeSelector: only a CiliumClusterwideNetworkPolicy may select nodes',
        ],
      ],
      [
        'NetworkPolicy shop/c',
        ['spec.types[0]: must be Ingress or Egress', 'spec.selector: must be a string'],
      ],
      [
        'ClusterNetworkPolicy d',
        [
          'spec.ingress[0].appliedTo[0].serviceAccount.name: is required',
          'spec.appliedTo: cannot be set together with appliedTo on the rules',
        ],
      ],
    ]);
  });
});

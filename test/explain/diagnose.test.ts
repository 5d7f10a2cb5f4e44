// The failure modes explain names (DESIGN.md, "The problems it exists for").
import { strict as assert } from 'node:assert';
import { ctest, deployment, policy, report, result, service } from './helpers.js';

const web = deployment('shop', 'web', '{ app: web }');
const api = deployment('shop', 'api', '{ app: api }', '[{ name: http, containerPort: 8080 }]');
const apiSvc = service('shop', 'api', '{ selector: { app: api }, ports: [{ port: 80, targetPort: 8080 }] }');
const denyAll = policy('shop', 'deny-all', '{ podSelector: {}, policyTypes: [Ingress, Egress] }');
const webToApi = policy(
  'shop',
  'web-out',
  '{ podSelector: { matchLabels: { app: web } }, policyTypes: [Egress], egress: [{ to: [{ podSelector: { matchLabels: { app: api } } }], ports: [{ port: 8080 }] }] }',
);
const apiFromWeb = policy(
  'shop',
  'api-in',
  '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }] }] }',
);
const dns = policy(
  'shop',
  'dns',
  '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: kube-system } }, podSelector: { matchLabels: { k8s-app: kube-dns } } }], ports: [{ port: 53, protocol: UDP }, { port: 53, protocol: TCP }] }] }',
);
const byName = (expect: string) =>
  `{ name: f, from: { podSelector: { matchLabels: { app: web } } }, to: { service: api }, port: 80, expect: ${expect} }`;

describe('explain names the failure mode', () => {
  it('a default-deny egress that forgot DNS denies flows by name', () => {
    const f = result(
      report(web, api, apiSvc, denyAll, webToApi, apiFromWeb, ctest('shop', byName('Allowed'))),
      'f',
    );
    assert.equal(f.predicted, 'Denied');
    assert.equal(f.agrees, false);
    assert.match(
      f.diagnosis[0]!,
      /^missing DNS egress: egress to DNS is not allowed, so names will not resolve/,
    );
    assert.match(f.reasons[0]!, /^DNS \(UDP 53 to kube-system\/kube-dns\) is denied: egress: denied/);
  });

  it('the same flow works once DNS is allowed (UDP and TCP 53, one peer)', () => {
    const f = result(
      report(web, api, apiSvc, denyAll, webToApi, apiFromWeb, dns, ctest('shop', byName('Allowed'))),
      'f',
    );
    assert.equal(f.predicted, 'Allowed');
    assert.deepEqual(f.diagnosis, []);
  });

  it('notes when only TCP 53 is missing', () => {
    const udpOnly = policy(
      'shop',
      'dns',
      '{ podSelector: {}, policyTypes: [Egress], egress: [{ ports: [{ port: 53, protocol: UDP }] }] }',
    );
    const f = result(
      report(web, api, apiSvc, denyAll, webToApi, apiFromWeb, udpOnly, ctest('shop', byName('Allowed'))),
      'f',
    );
    assert.equal(f.predicted, 'Allowed');
    assert.match(f.reasons.at(-1)!, /DNS over TCP 53 to kube-system\/kube-dns is denied/);
  });

  it('namespaceSelector and podSelector as two peers, when the OR admits a denied flow', () => {
    const other = deployment('other', 'intruder', '{ app: intruder }');
    const orPolicy = policy(
      'shop',
      'api-in',
      '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: other } } }, { podSelector: { matchLabels: { app: scraper } } }] }] }',
    );
    const r = report(
      other,
      api,
      orPolicy,
      ctest(
        'other',
        '{ name: f, from: { podSelector: { matchLabels: { app: intruder } } }, to: { podSelector: { matchLabels: { app: api } }, namespace: shop }, port: 8080, expect: Denied }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.agrees, false);
    assert.match(
      f.diagnosis[0]!,
      /^selectors ORed, not ANDed: shop\/api-in ingress rule 0 lists namespaceSelector and podSelector as two peers \(OR\).* peer 0 admits this flow$/,
    );
    assert.match(r.findings[0]!.message, /two peers \(OR\)/);
  });

  it('a policy whose podSelector matches no pod', () => {
    const typo = policy('shop', 'api-in', '{ podSelector: { matchLabels: { app: apii } }, ingress: [{}] }');
    const denyIn = policy('shop', 'deny-in', '{ podSelector: {}, policyTypes: [Ingress] }');
    const r = report(
      web,
      api,
      typo,
      denyIn,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } } }, port: 8080, expect: Allowed }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Denied');
    assert.match(
      f.diagnosis.join('\n'),
      /policy selects nothing: shop\/api-in podSelector \{app=apii\} matches no pod in shop/,
    );
  });

  it('policyTypes that leaves a direction open', () => {
    const ingressOnly = policy(
      'shop',
      'web-out',
      '{ podSelector: { matchLabels: { app: web } }, policyTypes: [Ingress], ingress: [{}], egress: [{ ports: [{ port: 53, protocol: UDP }] }] }',
    );
    const r = report(
      web,
      ingressOnly,
      ctest(
        'shop',
        '{ name: f, from: { podSelector: { matchLabels: { app: web } } }, to: { ip: 1.1.1.1 }, port: 443, expect: Denied }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Allowed');
    assert.match(
      f.diagnosis.join('\n'),
      /direction left open: shop\/web-out policyTypes omits Egress, so its egress rules are ignored/,
    );
  });

  it('no policy at all applies to a flow expected Denied', () => {
    const f = result(
      report(
        web,
        api,
        ctest(
          'shop',
          '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } } }, port: 8080, expect: Denied }',
        ),
      ),
      'f',
    );
    assert.match(f.diagnosis.join('\n'), /no policy applies to this flow at all/);
  });

  it('an ipBlock whose except forgets the metadata range', () => {
    const out = policy(
      'shop',
      'web-out',
      '{ podSelector: {}, policyTypes: [Egress], egress: [{ to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }] }] }',
    );
    const f = result(
      report(
        web,
        out,
        ctest(
          'shop',
          '{ name: f, from: { labels: { app: web } }, to: { ip: 169.254.169.254 }, port: 80, expect: Denied }',
        ),
      ),
      'f',
    );
    assert.match(
      f.diagnosis[0]!,
      /^external egress too wide: ipBlock 0\.0\.0\.0\/0 of shop\/web-out egress rule 0 admits 169\.254\.169\.254.*169\.254\.0\.0\/16/,
    );
  });

  it('an unknown host address under an ipBlock', () => {
    const out = policy(
      'shop',
      'web-out',
      '{ podSelector: {}, policyTypes: [Egress], egress: [{ ports: [{ port: 53, protocol: UDP }] }, { to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }], ports: [{ port: 443 }] }] }',
    );
    const f = result(
      report(
        web,
        out,
        ctest(
          'shop',
          '{ name: f, from: { labels: { app: web } }, to: { host: example.com }, port: 443, expect: Allowed }',
        ),
      ),
      'f',
    );
    assert.equal(f.predicted, 'Unknown');
    assert.equal(f.agrees, null);
    assert.match(f.diagnosis[0]!, /^address unknown/);
  });
});

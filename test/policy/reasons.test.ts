import { strict as assert } from 'node:assert';
import { PolicyEngine } from '../../src/policy/index.js';
import { external, flow, np, pod } from './builders.js';

const frontend = pod('production', 'web-frontend', { app: 'web-frontend' });
const api = pod('production', 'api-backend', { app: 'api-backend' });
const denyAll = np('production', 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
const toApi = np('production', 'allow-frontend-to-api', {
  podSelector: { matchLabels: { app: 'api-backend' } },
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web-frontend' } } }], ports: [{ port: 8080 }] }],
});
const fromFrontend = np('production', 'frontend-egress', {
  podSelector: { matchLabels: { app: 'web-frontend' } },
  policyTypes: ['Egress'],
  egress: [
    { to: [{ podSelector: { matchLabels: { app: 'api-backend' } } }], ports: [{ port: 8080 }] },
    { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] },
  ],
});

describe('prediction reasons', () => {
  const engine = new PolicyEngine({ policies: [denyAll, toApi, fromFrontend] });

  it('name the rule, peer and port that admit the flow', () => {
    const p = engine.predict(flow(frontend, api, 8080));
    assert.equal(p.predicted, 'Allowed');
    assert.deepEqual(p.reasons, [
      'egress: allowed by production/frontend-egress egress rule 0, peer 0, port 8080; isolated by production/default-deny, production/frontend-egress',
      'ingress: allowed by production/allow-frontend-to-api ingress rule 0, peer 0, port 8080; isolated by production/default-deny, production/allow-frontend-to-api',
    ]);
    assert.deepEqual(p.ingress.isolatedBy, ['production/default-deny', 'production/allow-frontend-to-api']);
  });

  it('name the isolating policies when no rule admits the flow', () => {
    const p = engine.predict(flow(api, frontend, 80));
    assert.equal(p.predicted, 'Denied');
    assert.equal(
      p.reasons[0],
      'egress: denied — production/api-backend is isolated by production/default-deny, and no egress rule admits production/web-frontend',
    );
  });

  it('say which rule hinges on an unknown address', () => {
    const p = engine.predict(flow(frontend, external(undefined, 'api.example.com'), 443));
    assert.equal(p.predicted, 'Unknown');
    assert.match(
      p.reasons[0]!,
      /^egress: unknown — production\/frontend-egress egress rule 1, peer 0, port 443 \(ipBlock 0\.0\.0\.0\/0\) would decide, but the destination's address is not known/,
    );
    assert.match(p.reasons[1]!, /outside the cluster/);
  });

  it('say when a side is open', () => {
    const p = new PolicyEngine({ policies: [] }).predict(flow(frontend, api, 8080));
    assert.equal(
      p.reasons[1],
      'ingress: open — no policy in production selects production/api-backend for Ingress',
    );
  });
});

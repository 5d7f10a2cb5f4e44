// The examples of the Kubernetes docs page "Network Policies", with the behaviour the page states.
import { strict as assert } from 'node:assert';
import type { NetworkPolicy } from '../../src/policy/index.js';
import { external, flow, np, ns, pod, predicted } from './builders.js';

// "test-network-policy", as on the page.
const testNetworkPolicy = np('default', 'test-network-policy', {
  podSelector: { matchLabels: { role: 'db' } },
  policyTypes: ['Ingress', 'Egress'],
  ingress: [
    {
      from: [
        { ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24'] } },
        { namespaceSelector: { matchLabels: { project: 'myproject' } } },
        { podSelector: { matchLabels: { role: 'frontend' } } },
      ],
      ports: [{ protocol: 'TCP', port: 6379 }],
    },
  ],
  egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/24' } }], ports: [{ protocol: 'TCP', port: 5978 }] }],
});
const namespaces = [ns('default'), ns('myproject', { project: 'myproject' }), ns('other')];
const db = pod('default', 'db', { role: 'db' }, { ip: '10.9.0.1' });
const frontend = pod('default', 'frontend', { role: 'frontend' }, { ip: '10.9.0.2' });
const frontendElsewhere = pod('other', 'frontend', { role: 'frontend' }, { ip: '10.9.1.2' });
const anyInProject = pod('myproject', 'x', { whatever: 'yes' }, { ip: '10.9.2.2' });

describe('the docs example test-network-policy', () => {
  const p = [testNetworkPolicy];
  const cases: [string, ReturnType<typeof flow>, string][] = [
    ['admits role=frontend pods of default on 6379', flow(frontend, db, 6379), 'Allowed'],
    ['does not admit them on another port', flow(frontend, db, 6380), 'Denied'],
    ['does not admit role=frontend pods of another namespace', flow(frontendElsewhere, db, 6379), 'Denied'],
    ['admits any pod of a project=myproject namespace', flow(anyInProject, db, 6379), 'Allowed'],
    ['admits 172.17.0.0–172.17.0.255', flow(external('172.17.0.200'), db, 6379), 'Allowed'],
    ['does not admit the excepted 172.17.1.0/24', flow(external('172.17.1.10'), db, 6379), 'Denied'],
    ['admits 172.17.2.0–172.17.255.255', flow(external('172.17.255.255'), db, 6379), 'Allowed'],
    ['lets db connect to 10.0.0.0/24 on 5978', flow(db, external('10.0.0.77'), 5978), 'Allowed'],
    ['denies db any other egress', flow(db, external('10.0.1.77'), 5978), 'Denied'],
    ['leaves pods it does not select alone', flow(db, frontend, 80), 'Denied'], // db's egress is isolated
    ['does not isolate role=frontend pods', flow(frontendElsewhere, frontend, 80), 'Allowed'],
  ];
  for (const [name, q, want] of cases) {
    it(name, () => {
      assert.equal(predicted(p, q, namespaces), want);
    });
  }
});

describe('the docs default policies', () => {
  const a = pod('default', 'a', { app: 'a' }, { ip: '10.9.0.1' });
  const b = pod('default', 'b', { app: 'b' }, { ip: '10.9.0.2' });
  const defaultDenyIngress = np('default', 'default-deny-ingress', {
    podSelector: {},
    policyTypes: ['Ingress'],
  });
  const allowAllIngress = np('default', 'allow-all-ingress', {
    podSelector: {},
    ingress: [{}],
    policyTypes: ['Ingress'],
  });
  const defaultDenyEgress = np('default', 'default-deny-egress', {
    podSelector: {},
    policyTypes: ['Egress'],
  });
  const allowAllEgress = np('default', 'allow-all-egress', {
    podSelector: {},
    egress: [{}],
    policyTypes: ['Egress'],
  });
  const defaultDenyAll = np('default', 'default-deny-all', {
    podSelector: {},
    policyTypes: ['Ingress', 'Egress'],
  });
  const cases: [string, NetworkPolicy[], ReturnType<typeof flow>, string][] = [
    ['default deny ingress blocks pod-to-pod', [defaultDenyIngress], flow(a, b, 80), 'Denied'],
    [
      'default deny ingress leaves egress out open',
      [defaultDenyIngress],
      flow(a, external('1.1.1.1'), 443),
      'Allowed',
    ],
    [
      'allow all ingress overrides default deny ingress',
      [defaultDenyIngress, allowAllIngress],
      flow(a, b, 80),
      'Allowed',
    ],
    ['default deny egress blocks leaving', [defaultDenyEgress], flow(a, external('1.1.1.1'), 443), 'Denied'],
    [
      'allow all egress overrides default deny egress',
      [defaultDenyEgress, allowAllEgress],
      flow(a, external('1.1.1.1'), 443),
      'Allowed',
    ],
    ['default deny all blocks both ways', [defaultDenyAll], flow(a, b, 80), 'Denied'],
    [
      'default deny all with allow-all of both directions allows again',
      [defaultDenyAll, allowAllIngress, allowAllEgress],
      flow(a, b, 80),
      'Allowed',
    ],
  ];
  for (const [name, p, q, want] of cases) {
    it(name, () => {
      assert.equal(predicted(p, q), want);
    });
  }
});

describe('the docs endPort example (multi-port-egress)', () => {
  const db = pod('default', 'db', { role: 'db' });
  const multiPort = np('default', 'multi-port-egress', {
    podSelector: { matchLabels: { role: 'db' } },
    policyTypes: ['Egress'],
    egress: [
      {
        to: [{ ipBlock: { cidr: '10.0.0.0/24' } }],
        ports: [{ protocol: 'TCP', port: 32000, endPort: 32768 }],
      },
    ],
  });
  for (const [port, want] of [
    [31999, 'Denied'],
    [32000, 'Allowed'],
    [32500, 'Allowed'],
    [32768, 'Allowed'],
    [32769, 'Denied'],
  ] as const) {
    it(`${want === 'Allowed' ? 'allows' : 'denies'} TCP ${port} to 10.0.0.0/24`, () => {
      assert.equal(predicted([multiPort], flow(db, external('10.0.0.5'), port)), want);
    });
  }
  it('does not allow UDP in the range', () => {
    assert.equal(predicted([multiPort], flow(db, external('10.0.0.5'), 32000, 'UDP')), 'Denied');
  });
});

describe('the docs "Behavior of to and from selectors" example', () => {
  const namespaces = [ns('alice-ns', { user: 'alice' }), ns('default')];
  const client = pod('alice-ns', 'client', { role: 'client' });
  const other = pod('alice-ns', 'other', { role: 'other' });
  const localClient = pod('default', 'client', { role: 'client' });
  const target = pod('default', 'target', { app: 't' });
  const and = np('default', 'and', {
    podSelector: {},
    ingress: [
      {
        from: [
          {
            namespaceSelector: { matchLabels: { user: 'alice' } },
            podSelector: { matchLabels: { role: 'client' } },
          },
        ],
      },
    ],
  });
  const or = np('default', 'or', {
    podSelector: {},
    ingress: [
      {
        from: [
          { namespaceSelector: { matchLabels: { user: 'alice' } } },
          { podSelector: { matchLabels: { role: 'client' } } },
        ],
      },
    ],
  });
  it('one peer: only role=client pods in user=alice namespaces', () => {
    assert.equal(predicted([and], flow(client, target, 80), namespaces), 'Allowed');
    assert.equal(predicted([and], flow(other, target, 80), namespaces), 'Denied');
    assert.equal(predicted([and], flow(localClient, target, 80), namespaces), 'Denied');
  });
  it('two peers: any pod of user=alice namespaces, or role=client pods of the policy namespace', () => {
    assert.equal(predicted([or], flow(other, target, 80), namespaces), 'Allowed');
    assert.equal(predicted([or], flow(localClient, target, 80), namespaces), 'Allowed');
  });
});

// Every NetworkPolicy rule the engine implements, one row each (Kubernetes docs, "Network Policies",
// and the networking.k8s.io/v1 API reference).
import { strict as assert } from 'node:assert';
import type { FlowQuery, NetworkPolicy, NetworkPolicySpec } from '../../src/policy/index.js';
import { external, flow, np, ns, pod, predicted } from './builders.js';

const web = pod('prod', 'web', { app: 'web' }, { ip: '10.0.0.1' });
const api = pod(
  'prod',
  'api',
  { app: 'api' },
  {
    ip: '10.0.0.2',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
    ],
  },
);
const prom = pod('mon', 'prom', { app: 'prom' }, { ip: '10.0.1.1' });
const webInMon = pod('mon', 'web', { app: 'web' }, { ip: '10.0.1.2' });
const template = pod('prod', 'deployment/batch', { app: 'batch' }); // no IP known
const agent = pod('prod', 'agent', { app: 'web' }, { hostNetwork: true, ip: '192.168.0.5' });
const namespaces = [ns('prod', { team: 'a' }), ns('mon', { team: 'b' })];

const denyIngress = (sel = {}): NetworkPolicy =>
  np('prod', 'deny-in', { podSelector: sel, policyTypes: ['Ingress'] });
const denyEgress = (sel = {}): NetworkPolicy =>
  np('prod', 'deny-out', { podSelector: sel, policyTypes: ['Egress'] });
const allowIn = (ingress: NetworkPolicySpec['ingress'], name = 'allow-in'): NetworkPolicy =>
  np('prod', name, { podSelector: { matchLabels: { app: 'api' } }, ingress });
const allowOut = (egress: NetworkPolicySpec['egress'], name = 'allow-out'): NetworkPolicy =>
  np('prod', name, { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Egress'], egress });

type Row = [string, NetworkPolicy[], FlowQuery, 'Allowed' | 'Denied' | 'Unknown'];

const rows: Row[] = [
  // Isolation
  ['no policy: everything is allowed', [], flow(web, api, 8080), 'Allowed'],
  [
    'a selecting Ingress policy isolates the destination',
    [denyIngress({ matchLabels: { app: 'api' } })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'a policy does not isolate pods it does not select',
    [denyIngress({ matchLabels: { app: 'api' } })],
    flow(api, web, 80),
    'Allowed',
  ],
  [
    'a policy in another namespace isolates nothing here',
    [np('mon', 'deny', { podSelector: {}, policyTypes: ['Ingress'] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  ['ingress isolation does not restrict egress', [denyIngress()], flow(web, prom, 9090), 'Allowed'],
  ['an Egress policy isolates the source', [denyEgress()], flow(web, prom, 9090), 'Denied'],
  // Union of allows
  [
    'allows of several policies add up',
    [denyIngress(), allowIn([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }])],
    flow(web, api, 8080),
    'Allowed',
  ],
  ['the flow needs both egress and ingress: ingress denies', [denyIngress()], flow(web, api, 8080), 'Denied'],
  [
    'the flow needs both egress and ingress: egress denies',
    [denyEgress(), allowIn([{}])],
    flow(web, api, 8080),
    'Denied',
  ],
  // Peers
  [
    'peers are ORed',
    [
      allowIn([
        {
          from: [
            { podSelector: { matchLabels: { app: 'x' } } },
            { podSelector: { matchLabels: { app: 'web' } } },
          ],
        },
      ]),
    ],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'podSelector alone means the policy namespace',
    [allowIn([{ from: [{ podSelector: { matchLabels: { app: 'prom' } } }] }])],
    flow(prom, api, 8080),
    'Denied',
  ],
  [
    'namespaceSelector alone admits every pod of the namespace',
    [allowIn([{ from: [{ namespaceSelector: { matchLabels: { team: 'b' } } }] }])],
    flow(prom, api, 8080),
    'Allowed',
  ],
  [
    'namespaceSelector {} admits every namespace',
    [allowIn([{ from: [{ namespaceSelector: {} }] }])],
    flow(prom, api, 8080),
    'Allowed',
  ],
  [
    'namespaceSelector {} does not admit outside addresses',
    [allowIn([{ from: [{ namespaceSelector: {} }] }])],
    flow(external('8.8.8.8'), api, 8080),
    'Denied',
  ],
  [
    'namespaceSelector + podSelector in one peer are ANDed (pod mismatch)',
    [
      allowIn([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'b' } },
              podSelector: { matchLabels: { app: 'web' } },
            },
          ],
        },
      ]),
    ],
    flow(prom, api, 8080),
    'Denied',
  ],
  [
    'namespaceSelector + podSelector in one peer are ANDed (namespace mismatch)',
    [
      allowIn([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'b' } },
              podSelector: { matchLabels: { app: 'web' } },
            },
          ],
        },
      ]),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'namespaceSelector + podSelector in one peer are ANDed (both match)',
    [
      allowIn([
        {
          from: [
            {
              namespaceSelector: { matchLabels: { team: 'b' } },
              podSelector: { matchLabels: { app: 'web' } },
            },
          ],
        },
      ]),
    ],
    flow(webInMon, api, 8080),
    'Allowed',
  ],
  [
    'namespaceSelector and podSelector as two peers are ORed',
    [
      allowIn([
        {
          from: [
            { namespaceSelector: { matchLabels: { team: 'b' } } },
            { podSelector: { matchLabels: { app: 'web' } } },
          ],
        },
      ]),
    ],
    flow(prom, api, 8080),
    'Allowed',
  ],
  [
    'the automatic kubernetes.io/metadata.name label selects a namespace not given',
    [
      allowIn([
        { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ghost' } } }] },
      ]),
    ],
    flow(pod('ghost', 'g', {}), api, 8080),
    'Allowed',
  ],
  [
    'an empty from admits every source',
    [allowIn([{ from: [] }])],
    flow(external('1.2.3.4'), api, 8080),
    'Allowed',
  ],
  [
    'a rule without from admits every source',
    [allowIn([{ ports: [{ port: 8080 }] }])],
    flow(prom, api, 8080),
    'Allowed',
  ],
  [
    'an absent ingress list with policyType Ingress denies all',
    [np('prod', 'p', { podSelector: {}, policyTypes: ['Ingress'] })],
    flow(web, api, 8080),
    'Denied',
  ],
  // ipBlock
  [
    'ipBlock admits an outside address in the CIDR',
    [allowIn([{ from: [{ ipBlock: { cidr: '203.0.113.0/24' } }] }])],
    flow(external('203.0.113.9'), api, 8080),
    'Allowed',
  ],
  [
    'ipBlock except carves out addresses',
    [allowIn([{ from: [{ ipBlock: { cidr: '203.0.113.0/24', except: ['203.0.113.8/29'] } }] }])],
    flow(external('203.0.113.9'), api, 8080),
    'Denied',
  ],
  [
    'ipBlock matches a pod by its IP',
    [allowIn([{ from: [{ ipBlock: { cidr: '10.0.1.0/24' } }] }])],
    flow(prom, api, 8080),
    'Allowed',
  ],
  [
    'ipBlock with IPv6',
    [allowOut([{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }])],
    flow(web, external('2001:db8:2::1'), 443),
    'Allowed',
  ],
  [
    'ipBlock with IPv6 except',
    [allowOut([{ to: [{ ipBlock: { cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] } }] }])],
    flow(web, external('2001:db8:1::1'), 443),
    'Denied',
  ],
  [
    'ipBlock against an unknown address is Unknown',
    [allowIn([{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] }])],
    flow(template, api, 8080),
    'Unknown',
  ],
  [
    'an unknown address does not matter when another rule admits',
    [
      allowIn([
        { from: [{ ipBlock: { cidr: '10.0.0.0/8' } }] },
        { from: [{ podSelector: { matchLabels: { app: 'batch' } } }] },
      ]),
    ],
    flow(template, api, 8080),
    'Allowed',
  ],
  [
    'an unknown address does not matter when the port differs',
    [allowIn([{ from: [{ ipBlock: { cidr: '10.0.0.0/8' } }], ports: [{ port: 9090 }] }])],
    flow(template, api, 8080),
    'Denied',
  ],
  [
    'a host name is Unknown under an ipBlock with except',
    [
      allowOut([
        { to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] },
      ]),
    ],
    flow(web, external(undefined, 'example.com'), 443),
    'Unknown',
  ],
  [
    'a host name is Denied when no rule covers its port',
    [allowOut([{ to: [{ ipBlock: { cidr: '0.0.0.0/0' } }], ports: [{ port: 443 }] }])],
    flow(web, external(undefined, 'example.com'), 80),
    'Denied',
  ],
  [
    'an outside destination only needs egress',
    [denyIngress(), allowOut([{ ports: [{ port: 443 }] }])],
    flow(web, external('1.1.1.1'), 443),
    'Allowed',
  ],
  // Ports
  ['protocol defaults to TCP', [allowIn([{ ports: [{ port: 53 }] }])], flow(web, api, 53, 'UDP'), 'Denied'],
  [
    'UDP is matched when named',
    [allowIn([{ ports: [{ port: 53, protocol: 'UDP' }] }])],
    flow(web, api, 53, 'UDP'),
    'Allowed',
  ],
  [
    'SCTP is its own protocol',
    [allowIn([{ ports: [{ port: 3868, protocol: 'SCTP' }] }])],
    flow(web, api, 3868, 'SCTP'),
    'Allowed',
  ],
  [
    'endPort includes the range end',
    [allowIn([{ ports: [{ port: 32000, endPort: 32768 }] }])],
    flow(web, api, 32768),
    'Allowed',
  ],
  [
    'endPort excludes beyond the range',
    [allowIn([{ ports: [{ port: 32000, endPort: 32768 }] }])],
    flow(web, api, 32769),
    'Denied',
  ],
  [
    'a port without endPort is one port',
    [allowIn([{ ports: [{ port: 8080 }] }])],
    flow(web, api, 8081),
    'Denied',
  ],
  [
    'an absent port with a protocol is every port of it',
    [allowIn([{ ports: [{ protocol: 'UDP' }] }])],
    flow(web, api, 5353, 'UDP'),
    'Allowed',
  ],
  [
    'a named port resolves against the destination',
    [allowIn([{ ports: [{ port: 'http' }] }])],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'a named port does not match another number',
    [allowIn([{ ports: [{ port: 'http' }] }])],
    flow(web, api, 8081),
    'Denied',
  ],
  [
    'a named port matches the declared protocol only',
    [allowIn([{ ports: [{ port: 'dns', protocol: 'UDP' }] }])],
    flow(web, api, 53, 'UDP'),
    'Allowed',
  ],
  [
    'an egress named port resolves against the destination pod',
    [allowOut([{ ports: [{ port: 'http' }] }])],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'an egress named port the destination does not declare does not match',
    [allowOut([{ ports: [{ port: 'http' }] }])],
    flow(web, prom, 8080),
    'Denied',
  ],
  [
    'an egress named port never matches an outside address',
    [allowOut([{ ports: [{ port: 'https' }] }])],
    flow(web, external('1.1.1.1'), 443),
    'Denied',
  ],
  // policyTypes defaulting
  [
    'without policyTypes an egress section isolates egress',
    [np('prod', 'p', { podSelector: {}, egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }] })],
    flow(web, prom, 9090),
    'Denied',
  ],
  [
    'without policyTypes, no egress section leaves egress open',
    [np('prod', 'p', { podSelector: {}, ingress: [] })],
    flow(web, prom, 9090),
    'Allowed',
  ],
  [
    'without policyTypes, egress: [] leaves egress open',
    [np('prod', 'p', { podSelector: {}, egress: [] })],
    flow(web, prom, 9090),
    'Allowed',
  ],
  [
    'without policyTypes Ingress is always isolated',
    [np('prod', 'p', { podSelector: {}, egress: [{}] })],
    flow(prom, api, 8080),
    'Denied',
  ],
  [
    'policyTypes [Ingress] ignores egress rules',
    [
      np('prod', 'p', {
        podSelector: {},
        policyTypes: ['Ingress'],
        ingress: [{}],
        egress: [{ ports: [{ port: 1 }] }],
      }),
    ],
    flow(web, prom, 9090),
    'Allowed',
  ],
  [
    'policyTypes [Egress] leaves ingress open',
    [np('prod', 'p', { podSelector: {}, policyTypes: ['Egress'] })],
    flow(prom, api, 8080),
    'Allowed',
  ],
  // hostNetwork
  ['a hostNetwork destination is not isolated', [denyIngress()], flow(web, agent, 10250), 'Allowed'],
  ['a hostNetwork source is not isolated for egress', [denyEgress()], flow(agent, prom, 9090), 'Allowed'],
  [
    'a hostNetwork source is not matched by a podSelector',
    [allowIn([{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }])],
    flow(agent, api, 8080),
    'Denied',
  ],
  [
    'a hostNetwork source is matched by an ipBlock on its IP',
    [allowIn([{ from: [{ ipBlock: { cidr: '192.168.0.0/24' } }] }])],
    flow(agent, api, 8080),
    'Allowed',
  ],
];

describe('NetworkPolicy semantics', () => {
  for (const [name, policies, q, want] of rows) {
    it(name, () => {
      assert.equal(predicted(policies, q, namespaces), want);
    });
  }
});

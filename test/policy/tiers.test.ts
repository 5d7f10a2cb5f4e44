// Every rule of the cluster-scoped tiers the engine implements, one row each. The authority is the API of
// kubernetes-sigs/network-policy-api at commit 0eec1b0e5fa92715b4c0f4c48d3c8d2913ed2159
// (apis/v1alpha2/clusternetworkpolicy_types.go, apis/v1alpha1/*_types.go, site-src/api-overview.md); each
// row names the sentence it checks.
import { strict as assert } from 'node:assert';
import type { ClusterPolicy, FlowQuery, NetworkPolicy } from '../../src/policy/index.js';
import { external, flow, np, ns, pod } from './builders.js';
import {
  allPods,
  anp,
  banp,
  cnp,
  everyNamespace,
  inNamespaces,
  networks,
  pods,
  predictWith,
  rule,
} from './cluster-builders.js';

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
const template = pod('prod', 'deployment/batch', { app: 'batch' }); // no IP known
const agent = pod('prod', 'agent', { app: 'web' }, { hostNetwork: true, ip: '192.168.0.5' });
const metadata = external('169.254.169.254');
const internet = external('93.184.215.14');
const namespaces = [ns('prod', { tenant: 'shop' }), ns('mon', { team: 'platform' })];

const admin = (name: string, priority: number, rules: Parameters<typeof cnp>[4], subject = everyNamespace) =>
  cnp(name, 'Admin', priority, subject, rules);
const baseline = (
  name: string,
  priority: number,
  rules: Parameters<typeof cnp>[4],
  subject = everyNamespace,
) => cnp(name, 'Baseline', priority, subject, rules);

/** NetworkPolicies of prod: api isolated for ingress, admitting web on 8080 only. */
const apiAdmitsWeb = np('prod', 'allow-web', {
  podSelector: { matchLabels: { app: 'api' } },
  ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 8080 }] }],
});
const apiDeniesAll = np('prod', 'deny-api', {
  podSelector: { matchLabels: { app: 'api' } },
  policyTypes: ['Ingress'],
});

type Expected = 'Allowed' | 'Denied' | 'Unknown';
type Row = [string, ClusterPolicy[], FlowQuery, Expected, NetworkPolicy[]?];

const denyIngressFromAll = (name = 'deny-in', priority = 10) =>
  admin(name, priority, { ingress: [rule('Deny', [allPods])] });

const rows: Row[] = [
  // Tiers: "Policy tiers are evaluated in the following order: Admin tier, NetworkPolicy tier, Baseline tier"
  [
    'no cluster policy: NetworkPolicy alone decides, as before',
    [],
    flow(web, api, 8080),
    'Allowed',
    [apiAdmitsWeb],
  ],
  [
    'an Admin Deny beats a NetworkPolicy allow',
    [denyIngressFromAll()],
    flow(web, api, 8080),
    'Denied',
    [apiAdmitsWeb],
  ],
  [
    'an Admin Accept beats a NetworkPolicy that isolates ("No further ... NetworkPolicy rules will be processed")',
    [admin('accept', 10, { ingress: [rule('Accept', [allPods])] })],
    flow(prom, api, 8080),
    'Allowed',
    [apiDeniesAll],
  ],
  [
    'an egress Accept at the source leaves the destination ingress to decide ("ingress rules at the destination do apply")',
    [admin('accept-out', 10, { egress: [rule('Accept', [allPods])] })],
    flow(web, api, 8080),
    'Denied',
    [apiDeniesAll],
  ],
  [
    'Admin Pass hands the flow to NetworkPolicy, which allows it',
    [admin('pass', 10, { ingress: [rule('Pass', [allPods])] }), denyIngressFromAll('deny-later', 20)],
    flow(web, api, 8080),
    'Allowed',
    [apiAdmitsWeb],
  ],
  [
    'Admin Pass hands the flow to NetworkPolicy, which denies it',
    [admin('pass', 10, { ingress: [rule('Pass', [allPods])] })],
    flow(prom, api, 8080),
    'Denied',
    [apiAdmitsWeb],
  ],
  [
    'a Baseline Deny applies to a pod no NetworkPolicy isolates',
    [baseline('isolate', 10, { ingress: [rule('Deny', [allPods])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'a Baseline Deny does not apply to a pod a NetworkPolicy isolates ("can be overridden by the v1.NetworkPolicy")',
    [baseline('isolate', 10, { ingress: [rule('Deny', [allPods])] })],
    flow(web, api, 8080),
    'Allowed',
    [apiAdmitsWeb],
  ],
  [
    'a Baseline Accept cannot reopen what NetworkPolicy denies',
    [baseline('open', 10, { ingress: [rule('Accept', [allPods])] })],
    flow(prom, api, 8080),
    'Denied',
    [apiAdmitsWeb],
  ],
  [
    'Admin Pass, no NetworkPolicy, Baseline Deny: denied',
    [
      admin('pass', 10, { ingress: [rule('Pass', [allPods])] }),
      baseline('isolate', 10, { ingress: [rule('Deny', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'Admin Pass with nothing below falls through to default allow',
    [admin('pass', 10, { ingress: [rule('Pass', [allPods])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'Baseline Pass goes on to default allow',
    [
      baseline('pass', 10, { ingress: [rule('Pass', [allPods])] }),
      baseline('deny', 20, { ingress: [rule('Deny', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'Admin Pass skips the rest of the Admin tier only: a lower Admin Deny is skipped',
    [
      admin('pass', 10, { egress: [rule('Pass', [allPods])] }),
      admin('deny', 20, { egress: [rule('Deny', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Allowed',
  ],
  // Priority: "Policies with lower priority values have higher precedence"
  [
    'priority 5 Deny before priority 10 Accept',
    [
      admin('accept', 10, { egress: [rule('Accept', [allPods])] }),
      admin('deny', 5, { egress: [rule('Deny', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'priority 5 Accept before priority 10 Deny',
    [
      admin('deny', 10, { egress: [rule('Deny', [allPods])] }),
      admin('accept', 5, { egress: [rule('Accept', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Allowed',
    [np('prod', 'deny-out', { podSelector: {}, policyTypes: ['Egress'] })],
  ],
  [
    'the Admin tier comes before the Baseline tier whatever the numbers',
    [
      baseline('accept', 0, { egress: [rule('Accept', [allPods])] }),
      admin('deny', 1000, { egress: [rule('Deny', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  // First match: "a rule that appears at the top ... would take the highest precedence"
  [
    'the first matching rule of a policy wins (Accept above Deny)',
    [
      admin('p', 10, {
        ingress: [rule('Accept', [pods({}, { matchLabels: { app: 'web' } })]), rule('Deny', [allPods])],
      }),
    ],
    flow(web, api, 8080),
    'Allowed',
    [apiDeniesAll],
  ],
  [
    'the first matching rule of a policy wins (Deny above Accept)',
    [
      admin('p', 10, {
        ingress: [rule('Deny', [allPods]), rule('Accept', [pods({}, { matchLabels: { app: 'web' } })])],
      }),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'a rule whose ports do not match is skipped',
    [
      admin('p', 10, {
        ingress: [rule('Deny', [allPods], [{ protocol: 'TCP', port: 9090 }]), rule('Accept', [allPods])],
      }),
    ],
    flow(web, api, 8080),
    'Allowed',
    [apiDeniesAll],
  ],
  [
    'a policy with no egress rules does not affect egress ("CNPs with no egress rules do not affect egress traffic")',
    [admin('in-only', 10, { ingress: [rule('Deny', [allPods])] }, inNamespaces({ tenant: 'shop' }))],
    flow(web, prom, 9090),
    'Allowed',
  ],
  // Subjects
  [
    'subject namespaces: a pod of another namespace is not affected',
    [admin('deny', 10, { egress: [rule('Deny', [allPods])] }, inNamespaces({ tenant: 'shop' }))],
    flow(prom, api, 8080),
    'Allowed',
  ],
  [
    'subject namespaces: a pod of a selected namespace is',
    [admin('deny', 10, { egress: [rule('Deny', [allPods])] }, inNamespaces({ tenant: 'shop' }))],
    flow(web, prom, 9090),
    'Denied',
  ],
  [
    'subject pods: namespace AND pod selector (pod mismatch)',
    [
      admin(
        'deny',
        10,
        { egress: [rule('Deny', [allPods])] },
        pods({ matchLabels: { tenant: 'shop' } }, { matchLabels: { app: 'api' } }),
      ),
    ],
    flow(web, prom, 9090),
    'Allowed',
  ],
  [
    'subject pods: namespace AND pod selector (both match)',
    [
      admin(
        'deny',
        10,
        { egress: [rule('Deny', [allPods])] },
        pods({ matchLabels: { tenant: 'shop' } }, { matchLabels: { app: 'api' } }),
      ),
    ],
    flow(api, prom, 9090),
    'Denied',
  ],
  [
    'host-network pods are never subjects ("host-networked pods are not included in subject selection")',
    [admin('deny', 10, { egress: [rule('Deny', [networks('0.0.0.0/0')])] })],
    flow(agent, prom, 9090),
    'Allowed',
  ],
  // Peers
  [
    'peer namespaces: selects every pod of the matching namespaces',
    [admin('deny', 10, { ingress: [rule('Deny', [inNamespaces({ team: 'platform' })])] })],
    flow(prom, api, 8080),
    'Denied',
  ],
  [
    'peer namespaces: not pods of other namespaces',
    [admin('deny', 10, { ingress: [rule('Deny', [inNamespaces({ team: 'platform' })])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'peer pods: namespace AND pod selector',
    [admin('deny', 10, { ingress: [rule('Deny', [pods({}, { matchLabels: { app: 'prom' } })])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'peers namespaces/pods never match host-network pods ("host-networked pods are not included in this type of peer")',
    [admin('deny', 10, { ingress: [rule('Deny', [allPods])] })],
    flow(agent, api, 8080),
    'Allowed',
  ],
  [
    'peers of a rule are ORed',
    [
      admin('deny', 10, {
        ingress: [
          rule('Deny', [inNamespaces({ team: 'nobody' }), pods({}, { matchLabels: { app: 'web' } })]),
        ],
      }),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'peer networks: an outside address in the CIDR',
    [admin('deny-metadata', 5, { egress: [rule('Deny', [networks('169.254.169.254/32')])] })],
    flow(web, metadata, 80),
    'Denied',
  ],
  [
    'peer networks: an outside address not in the CIDR',
    [admin('deny-metadata', 5, { egress: [rule('Deny', [networks('169.254.169.254/32')])] })],
    flow(web, internet, 443),
    'Allowed',
  ],
  [
    'peer networks match pod IPs too ("cluster-internal traffic will be checked against the rule as well")',
    [admin('deny', 5, { egress: [rule('Deny', [networks('10.0.0.0/24')])] })],
    flow(prom, api, 8080),
    'Denied',
  ],
  [
    'peer networks match a host-network pod by its (node) address',
    [admin('deny', 5, { egress: [rule('Deny', [networks('192.168.0.0/24')])] })],
    flow(web, agent, 8080),
    'Denied',
  ],
  [
    'peer networks and an address nobody knows: Unknown when it decides',
    [admin('deny', 5, { egress: [rule('Deny', [networks('10.0.0.0/8')])] })],
    flow(web, template, 8080),
    'Unknown',
  ],
  [
    'peer networks in the link-local range never match a pod, even one whose address is not known (RFC 3927)',
    [admin('deny-metadata', 5, { egress: [rule('Deny', [networks('169.254.0.0/16')])] })],
    flow(web, template, 8080),
    'Allowed',
  ],
  [
    'peer networks and an address nobody knows: decided when every possibility agrees',
    [admin('deny', 5, { egress: [rule('Deny', [networks('10.0.0.0/8')]), rule('Deny', [allPods])] })],
    flow(web, template, 8080),
    'Denied',
  ],
  [
    'experimental nodes peer: never a pod-network pod',
    [admin('deny', 5, { egress: [rule('Deny', [{ nodes: {} }])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'experimental nodes peer: Unknown for an outside address',
    [admin('deny', 5, { egress: [rule('Deny', [{ nodes: {} }])] })],
    flow(web, internet, 443),
    'Unknown',
  ],
  [
    'experimental domainNames peer: Unknown, never a guess',
    [
      admin('allow-names', 5, { egress: [rule('Accept', [{ domainNames: ['*.example.com'] }])] }),
      admin('deny', 6, { egress: [rule('Deny', [networks('0.0.0.0/0')])] }),
    ],
    flow(web, internet, 443),
    'Unknown',
  ],
  [
    'a peer with no field this version knows fails closed: a Deny matches everything',
    [admin('deny', 5, { egress: [rule('Deny', [{}])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'a peer with no field this version knows fails closed: an Accept matches nothing',
    [admin('accept', 5, { ingress: [rule('Accept', [{}])] })],
    flow(web, api, 8080),
    'Denied',
    [apiDeniesAll],
  ],
  // Ports and protocols
  [
    'port number',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'TCP', port: 8080 }])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'port range includes its start',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'TCP', port: 8080, endPort: 8090 }])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'port range includes its end',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'TCP', port: 8000, endPort: 8080 }])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'port range excludes what is past its end',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'TCP', port: 8000, endPort: 8079 }])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'protocol: a UDP rule does not match TCP',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'UDP', port: 8080 }])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'protocol: an SCTP rule does not match TCP',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'SCTP', port: 8080 }])] })],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'protocol without a port matches every port of it',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ protocol: 'UDP' }])] })],
    flow(web, api, 53, 'UDP'),
    'Denied',
  ],
  [
    'named port resolves on the destination pod',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ namedPort: 'http' }])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'named port: another number of the destination does not match',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ namedPort: 'http' }])] })],
    flow(web, api, 9090),
    'Allowed',
  ],
  [
    'named port keeps the container port protocol (dns is UDP 53)',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ namedPort: 'dns' }])] })],
    flow(web, api, 53, 'UDP'),
    'Denied',
  ],
  [
    'named port: the container port protocol must match the flow',
    [admin('d', 5, { egress: [rule('Deny', [allPods], [{ namedPort: 'dns' }])] })],
    flow(web, api, 53, 'TCP'),
    'Allowed',
  ],
  [
    'named port never matches outside the pods',
    [admin('d', 5, { egress: [rule('Deny', [networks('0.0.0.0/0')], [{ namedPort: 'http' }])] })],
    flow(web, internet, 8080),
    'Allowed',
  ],
  // v1alpha1
  [
    'AdminNetworkPolicy Allow is a final allow',
    [anp('allow', 5, everyNamespace, { ingress: [rule('Accept', [allPods])] })],
    flow(prom, api, 8080),
    'Allowed',
    [apiDeniesAll],
  ],
  [
    'AdminNetworkPolicy Deny',
    [anp('deny', 5, everyNamespace, { ingress: [rule('Deny', [allPods])] })],
    flow(web, api, 8080),
    'Denied',
    [apiAdmitsWeb],
  ],
  [
    'AdminNetworkPolicy Pass hands over to NetworkPolicy',
    [anp('pass', 5, everyNamespace, { ingress: [rule('Pass', [allPods])] })],
    flow(web, api, 8080),
    'Allowed',
    [apiAdmitsWeb],
  ],
  [
    'BaselineAdminNetworkPolicy Deny where no NetworkPolicy isolates',
    [banp(everyNamespace, { ingress: [rule('Deny', [allPods])] })],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'BaselineAdminNetworkPolicy Deny where a NetworkPolicy isolates',
    [banp(everyNamespace, { ingress: [rule('Deny', [allPods])] })],
    flow(web, api, 8080),
    'Allowed',
    [apiAdmitsWeb],
  ],
  // Same priority: "the implementation can apply any of the matching policies"
  [
    'two Admin policies of one priority that both match with different actions: Unknown',
    [
      admin('a', 10, { egress: [rule('Deny', [allPods])] }),
      admin('b', 10, { egress: [rule('Accept', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Unknown',
  ],
  [
    'two Admin policies of one priority that both match with the same action: no doubt',
    [
      admin('a', 10, { egress: [rule('Deny', [allPods])] }),
      admin('b', 10, { egress: [rule('Deny', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Denied',
  ],
  [
    'two policies of one priority, only one of which matches: no doubt',
    [
      admin('a', 10, { egress: [rule('Deny', [inNamespaces({ team: 'platform' })])] }),
      admin('b', 10, { egress: [rule('Accept', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Allowed',
  ],
  [
    'two Baseline policies of one priority that both match with different actions: Unknown',
    [
      baseline('a', 10, { egress: [rule('Deny', [allPods])] }),
      baseline('b', 10, { egress: [rule('Accept', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Unknown',
  ],
  [
    'an AdminNetworkPolicy and an Admin ClusterNetworkPolicy that disagree: Unknown (no order between the APIs)',
    [
      anp('a', 1, everyNamespace, { egress: [rule('Deny', [allPods])] }),
      admin('b', 999, { egress: [rule('Accept', [allPods])] }),
    ],
    flow(web, api, 8080),
    'Unknown',
  ],
];

describe('cluster-scoped policy tiers', () => {
  for (const [name, cluster, q, expected, policies] of rows) {
    it(name, () => {
      assert.equal(predictWith(cluster, q, policies ?? [], namespaces).predicted, expected);
    });
  }
});

describe('cluster-scoped policy reasons', () => {
  const reasons = (cluster: ClusterPolicy[], q: FlowQuery, policies: NetworkPolicy[] = []) =>
    predictWith(cluster, q, policies, namespaces).reasons;

  it('names the tier, policy, rule, priority and action that decide', () => {
    const [egress] = reasons(
      [
        admin('deny-metadata', 5, {
          egress: [rule('Deny', [networks('169.254.169.254/32')], undefined, 'block')],
        }),
      ],
      flow(web, metadata, 80),
    );
    assert.equal(egress, "egress: [Admin] cnp/deny-metadata egress rule 'block' (priority 5) Deny");
  });

  it('shows the chain from an Admin Pass to the NetworkPolicy rule that admits the flow', () => {
    const [, ingress] = reasons(
      [admin('x', 1, { ingress: [rule('Pass', [allPods])] })],
      flow(web, api, 8080),
      [apiAdmitsWeb],
    );
    assert.match(
      ingress!,
      /^ingress: \[Admin\] cnp\/x ingress rule 0 \(priority 1\) Pass → \[NetworkPolicy\] allowed by prod\/allow-web ingress rule 0, peer 0, port 8080/,
    );
  });

  it('says when a Pass falls through to default allow because nothing below decides', () => {
    const [egress] = reasons(
      [admin('delegate', 3, { egress: [rule('Pass', [allPods], undefined, 'to-namespaces')] })],
      flow(web, api, 8080),
    );
    assert.match(
      egress!,
      /\[Admin\] cnp\/delegate egress rule 'to-namespaces' \(priority 3\) Pass → \[NetworkPolicy\] open .* → default allow \(the Pass of cnp\/delegate falls through to default allow: nothing below it decides\)/,
    );
  });

  it('shows a Baseline decision after NetworkPolicy left the side open', () => {
    const [, ingress] = reasons(
      [baseline('tenants', 10, { ingress: [rule('Deny', [allPods], undefined, 'isolate')] })],
      flow(web, api, 8080),
    );
    assert.match(
      ingress!,
      /^ingress: \[NetworkPolicy\] open — no policy in prod selects prod\/api for Ingress → \[Baseline\] cnp\/tenants ingress rule 'isolate' \(priority 10\) Deny$/,
    );
  });

  it('says the API leaves the order of same-priority policies undefined', () => {
    const [egress] = reasons(
      [
        admin('a', 10, { egress: [rule('Deny', [allPods])] }),
        admin('b', 10, { egress: [rule('Accept', [allPods])] }),
      ],
      flow(web, api, 8080),
    );
    assert.match(
      egress!,
      /^egress: unknown — cnp\/a and cnp\/b share priority 10 in the Admin tier and both match this flow; the API leaves their order undefined/,
    );
  });

  it('names an experimental peer it cannot evaluate', () => {
    const [egress] = reasons(
      [
        admin('names', 5, { egress: [rule('Accept', [{ domainNames: ['*.example.com'] }])] }),
        admin('deny', 6, { egress: [rule('Deny', [networks('0.0.0.0/0')])] }),
      ],
      flow(web, internet, 443),
    );
    assert.match(
      egress!,
      /unknown — \[Admin\] cnp\/names egress rule 0 \(priority 5\) Accept may match \(experimental domainNames \*\.example\.com: flowprobe does not resolve names\)/,
    );
  });

  it('says Allow, not Accept, for the v1alpha1 AdminNetworkPolicy', () => {
    const [, ingress] = reasons(
      [anp('ops', 7, everyNamespace, { ingress: [rule('Accept', [allPods], undefined, 'ops')] })],
      flow(web, api, 8080),
    );
    assert.equal(ingress, "ingress: [Admin] anp/ops ingress rule 'ops' (priority 7) Allow");
  });

  it('leaves the NetworkPolicy reasons as they were where cluster policies select the side but no rule matches', () => {
    const [egress, ingress] = reasons(
      [
        admin('d', 5, { egress: [rule('Deny', [networks('169.254.169.254/32')])] }),
        baseline('b', 5, { ingress: [rule('Deny', [inNamespaces({ team: 'platform' })])] }),
      ],
      flow(web, api, 8080),
      [apiAdmitsWeb],
    );
    assert.equal(egress, 'egress: open — no policy in prod selects prod/web for Egress');
    assert.match(ingress!, /^ingress: allowed by prod\/allow-web ingress rule 0/);
  });

  it('leaves the NetworkPolicy reasons as they were where no cluster policy selects the side', () => {
    const [egress, ingress] = reasons(
      [admin('d', 5, { egress: [rule('Deny', [allPods])] }, inNamespaces({ team: 'platform' }))],
      flow(web, api, 8080),
      [apiAdmitsWeb],
    );
    assert.equal(egress, 'egress: open — no policy in prod selects prod/web for Egress');
    assert.match(ingress!, /^ingress: allowed by prod\/allow-web ingress rule 0/);
  });
});

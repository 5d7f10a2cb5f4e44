/**
 * How the FAKE CNI turns NetworkPolicies into a pod's nftables table (pure), and — where root and nft
 * exist — that every ruleset it writes is one nft accepts (`nft -c`, in a namespace of this test's own).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { podRuleset, type CniMode } from '../support/fake-cluster/index.js';
import { run, runSyncQuietly } from '../support/netlab/exec.js';
import { findTools } from '../support/netlab/prereqs.js';
import { PolicyEngine } from '../../src/policy/engine.js';
import type { ClusterPolicy } from '../../src/policy/cluster-types.js';
import type { NetworkPolicy, PodEndpoint } from '../../src/policy/types.js';

/** Every isolated chain accepts IPv6 neighbour and router discovery (nft-rules.ts, `preamble`). */
const ND =
  'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } accept';

type Pod = PodEndpoint & { ip: string };

const web: Pod = {
  kind: 'pod',
  namespace: 'a',
  name: 'web',
  labels: { app: 'web' },
  ports: [
    { name: 'http', containerPort: 8080 },
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
  ],
  ip: '10.252.1.1',
};
const client: Pod = {
  kind: 'pod',
  namespace: 'a',
  name: 'client',
  labels: { role: 'client' },
  ports: [],
  ip: '10.252.1.2',
};
const other: Pod = {
  kind: 'pod',
  namespace: 'b',
  name: 'other',
  labels: { role: 'client' },
  ports: [{ name: 'http', containerPort: 9090 }],
  ip: '10.252.1.3',
};
const pods = [web, client, other];

function rules(policies: NetworkPolicy['spec'][], mode: CniMode = 'enforcing', pod: Pod = web): string {
  const engine = new PolicyEngine({
    namespaces: [
      { name: 'a', labels: {} },
      { name: 'b', labels: { team: 'x' } },
    ],
    policies: policies.map((spec, i) => ({ namespace: 'a', name: `p${i}`, spec })),
  });
  return podRuleset({ pod, pods, engine, mode });
}

/** The body of one chain, without its header. */
function chain(ruleset: string, name: 'input' | 'output'): string[] {
  const lines = ruleset.split('\n').map((l) => l.trim());
  const start = lines.indexOf(`chain ${name} {`);
  const end = lines.indexOf('}', start);
  return lines.slice(start + 2, end).map((l) => l.replace(/ comment ".*"$/, ''));
}

describe('FakeCni rules: NetworkPolicy → nftables', () => {
  it('leaves both chains accepting for a pod no policy selects', () => {
    const r = rules([{ podSelector: { matchLabels: { app: 'nothing' } } }]);
    assert.deepEqual(chain(r, 'input'), []);
    assert.deepEqual(chain(r, 'output'), []);
  });

  it('replaces the table atomically: add, flush and define in one script', () => {
    const r = rules([]);
    assert.match(
      r,
      /^add table inet flowprobe_fake_cni\nflush table inet flowprobe_fake_cni\ntable inet flowprobe_fake_cni \{/,
    );
  });

  const table: [string, NetworkPolicy['spec'][], CniMode, 'input' | 'output', string[]][] = [
    [
      'a default-deny ingress drops everything but established traffic and loopback',
      [{ podSelector: {}, policyTypes: ['Ingress'] }],
      'enforcing',
      'input',
      ['ct state established,related accept', 'iif lo accept', ND, 'drop'],
    ],
    [
      'the reject mode resets TCP and answers the rest with admin-prohibited',
      [{ podSelector: {}, policyTypes: ['Ingress'] }],
      'reject',
      'input',
      [
        'ct state established,related accept',
        'iif lo accept',
        ND,
        'meta l4proto tcp reject with tcp reset',
        'reject with icmpx type admin-prohibited',
      ],
    ],
    [
      'the none mode programs nothing, as flannel',
      [{ podSelector: {}, policyTypes: ['Ingress'] }],
      'none',
      'input',
      [],
    ],
    [
      'a pod selector admits the selected pods’ IPs of the policy’s namespace; a named port resolves on the pod',
      [
        {
          podSelector: {},
          ingress: [
            { from: [{ podSelector: { matchLabels: { role: 'client' } } }], ports: [{ port: 'http' }] },
          ],
        },
      ],
      'enforcing',
      'input',
      [
        'ct state established,related accept',
        'iif lo accept',
        ND,
        'ip saddr { 10.252.1.2 } tcp dport 8080 accept',
        'drop',
      ],
    ],
    [
      'a namespace selector admits every pod of the selected namespaces; endPort makes a range',
      [
        {
          podSelector: {},
          ingress: [
            {
              from: [{ namespaceSelector: { matchLabels: { team: 'x' } } }],
              ports: [{ port: 8000, endPort: 8100 }],
            },
          ],
        },
      ],
      'enforcing',
      'input',
      [
        'ct state established,related accept',
        'iif lo accept',
        ND,
        'ip saddr { 10.252.1.3 } tcp dport 8000-8100 accept',
        'drop',
      ],
    ],
    [
      'an ipBlock admits its CIDR minus the excepts; a port without number admits the protocol',
      [
        {
          podSelector: {},
          ingress: [
            {
              from: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }],
              ports: [{ protocol: 'UDP' }],
            },
          ],
        },
      ],
      'enforcing',
      'input',
      [
        'ct state established,related accept',
        'iif lo accept',
        ND,
        'ip saddr 10.0.0.0/8 ip saddr != { 10.1.0.0/16 } meta l4proto udp accept',
        'drop',
      ],
    ],
    [
      'an egress named port resolves against each destination pod',
      [
        {
          podSelector: {},
          policyTypes: ['Egress'],
          egress: [{ to: [{ namespaceSelector: {} }], ports: [{ port: 'http' }] }],
        },
      ],
      'enforcing',
      'output',
      [
        'ct state established,related accept',
        'oif lo accept',
        ND,
        'ip daddr 10.252.1.1 tcp dport 8080 accept',
        'ip daddr 10.252.1.3 tcp dport 9090 accept',
        'drop',
      ],
    ],
    [
      'a rule without peers or ports admits everything',
      [{ podSelector: {}, policyTypes: ['Egress'], egress: [{}] }],
      'enforcing',
      'output',
      ['ct state established,related accept', 'oif lo accept', ND, 'accept', 'drop'],
    ],
    [
      'a selector that matches no pod adds no rule (nft refuses an empty set)',
      [{ podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'ghost' } } }] }] }],
      'enforcing',
      'input',
      ['ct state established,related accept', 'iif lo accept', ND, 'drop'],
    ],
  ];
  for (const [sentence, policies, mode, name, expected] of table) {
    it(sentence, () => {
      assert.deepEqual(chain(rules(policies, mode), name), expected);
    });
  }

  it('writes rulesets that nft accepts (checked with nft -c where root and nft exist)', async function () {
    const tools = findTools();
    if (Array.isArray(tools)) {
      console.log('      skipped: nft -c needs root and nft');
      this.skip();
    }
    const netns = `fc${randomBytes(3).toString('hex')}-nftcheck`;
    await run(tools.ip, ['netns', 'add', netns]);
    try {
      for (const [, policies, mode] of table) {
        await run(tools.ip, ['netns', 'exec', netns, tools.nft, '-c', '-f', '-'], rules(policies, mode));
      }
    } finally {
      runSyncQuietly(tools.ip, ['netns', 'del', netns]);
    }
  });
});

// ClusterNetworkPolicy tiers (tier-rules.ts): Admin before NetworkPolicy, Baseline after it, in the API's
// order (network-policy-api site-src/api-overview.md). These chains are what the operator suites' FAKE CNI
// enforces for real; they mirror src/policy, so they prove plumbing, not the engine.
describe('FAKE CNI: ClusterNetworkPolicy tiers as nftables chains', () => {
  const allowClient: NetworkPolicy['spec'] = {
    podSelector: { matchLabels: { app: 'web' } },
    ingress: [{ from: [{ podSelector: { matchLabels: { role: 'client' } } }] }],
  };
  const web8080 = { pods: { namespaceSelector: {}, podSelector: { matchLabels: { app: 'web' } } } };
  const adminDeny: ClusterPolicy = {
    kind: 'ClusterNetworkPolicy',
    name: 'deny-web',
    tier: 'Admin',
    priority: 5,
    subject: web8080,
    ingress: [
      {
        name: 'block',
        action: 'Deny',
        peers: [{ namespaces: { matchLabels: { team: 'x' } } }],
        ports: [{ protocol: 'TCP', port: 8080 }],
      },
      { action: 'Pass', peers: [{ namespaces: {} }] },
    ],
    egress: [],
  };
  const baselineDeny: ClusterPolicy = {
    kind: 'ClusterNetworkPolicy',
    name: 'tenants',
    tier: 'Baseline',
    priority: 10,
    subject: { namespaces: {} },
    ingress: [{ action: 'Deny', peers: [{ namespaces: {} }] }],
    egress: [{ action: 'Deny', peers: [{ networks: ['169.254.169.254/32'] }] }],
  };

  function tiered(
    policies: NetworkPolicy['spec'][],
    cluster: ClusterPolicy[],
    mode: CniMode = 'enforcing',
    pod = web,
  ) {
    const engine = new PolicyEngine({
      namespaces: [
        { name: 'a', labels: {} },
        { name: 'b', labels: { team: 'x' } },
      ],
      policies: policies.map((spec, i) => ({ namespace: 'a', name: `p${i}`, spec })),
      clusterPolicies: cluster,
    });
    return podRuleset({ pod, pods, engine, mode });
  }

  function body(ruleset: string, name: string): string[] {
    const lines = ruleset.split('\n').map((l) => l.trim());
    const start = lines.indexOf(`chain ${name} {`);
    const end = lines.indexOf('}', start);
    return lines.slice(start + 1, end).map((l) => l.replace(/ comment ".*"$/, ''));
  }

  it('puts Admin rules first (Deny drops, Pass goes to NetworkPolicy), then NetworkPolicy, then Baseline', () => {
    const r = tiered([allowClient], [adminDeny, baselineDeny]);
    assert.deepEqual(body(r, 'input'), [
      'type filter hook input priority 0; policy accept;',
      'ct state established,related accept',
      'iif lo accept',
      ND,
      'ip saddr { 10.252.1.3 } tcp dport 8080 drop',
      'ip saddr { 10.252.1.1, 10.252.1.2, 10.252.1.3 } goto np_input',
      'goto np_input',
    ]);
    assert.deepEqual(body(r, 'np_input'), ['ip saddr { 10.252.1.2 } accept', 'drop']);
    assert.deepEqual(body(r, 'baseline_input'), ['ip saddr { 10.252.1.1, 10.252.1.2, 10.252.1.3 } drop']);
  });

  it('sends a direction NetworkPolicy does not isolate on to Baseline; a Baseline Deny of networks drops', () => {
    const r = tiered([], [baselineDeny]);
    assert.deepEqual(body(r, 'np_output'), ['goto baseline_output']);
    assert.deepEqual(body(r, 'baseline_output'), ['ip daddr { 169.254.169.254/32 } drop']);
  });

  it('rejects instead of dropping in reject mode, and leaves a pod no cluster policy selects as before', () => {
    const r = tiered([], [adminDeny], 'reject');
    assert.deepEqual(body(r, 'input').slice(4, 6), [
      'ip saddr { 10.252.1.3 } tcp dport 8080 meta l4proto tcp reject with tcp reset',
      'ip saddr { 10.252.1.3 } tcp dport 8080 reject with icmpx type admin-prohibited',
    ]);
    assert.equal(
      tiered([allowClient], [adminDeny], 'enforcing', client),
      rules([allowClient], 'enforcing', client),
    );
  });

  it('writes tiered rulesets that nft accepts (checked with nft -c where root and nft exist)', async function () {
    const tools = findTools();
    if (Array.isArray(tools)) {
      console.log('      skipped: nft -c needs root and nft');
      this.skip();
    }
    const netns = `fc${randomBytes(3).toString('hex')}-nftcheck`;
    await run(tools.ip, ['netns', 'add', netns]);
    try {
      for (const mode of ['enforcing', 'reject'] as const)
        await run(
          tools.ip,
          ['netns', 'exec', netns, tools.nft, '-c', '-f', '-'],
          tiered([allowClient], [adminDeny, baselineDeny], mode),
        );
    } finally {
      runSyncQuietly(tools.ip, ['netns', 'del', netns]);
    }
  });
});

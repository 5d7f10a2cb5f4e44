// The two layers after NetworkPolicy together: the cluster tiers (ClusterNetworkPolicy Admin/Baseline) and
// the objects flowprobe does not model (Cilium, Calico, Antrea). A flow passes only through both the
// source's egress and the destination's ingress, on every CNI, so an object that may select one side
// cannot reopen what the other side denies; where it may decide the side that denies, nothing the tiers
// say about the outcome may still be claimed (no "impossible", no "only a change to X can"), and an Admin
// Deny of DNS is never answered with "allow DNS in a NetworkPolicy" (the Admin tier comes first:
// network-policy-api v0.2.0 site-src/api-overview.md).
import { strict as assert } from 'node:assert';
import type { FlowExplanation } from '../../src/explain/index.js';
import { ctest, pod, policy, report, result, service } from './helpers.js';

const ns = (name: string, labels = '{}') =>
  `apiVersion: v1\nkind: Namespace\nmetadata: { name: ${name}, labels: ${labels} }`;
const cnp = (name: string, spec: string) =>
  `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: ${name} }\nspec: ${spec}`;
const cilium = (namespace: string, name: string, spec: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: { name: ${name}, namespace: ${namespace} }\nspec: ${spec}`;

const cluster = [
  ns('shop', '{ tenant: shop }'),
  ns('billing', '{ tenant: billing }'),
  ns('kube-system'),
  pod('shop', 'web', '{ app: web }', '10.1.0.1'),
  pod('billing', 'api', '{ app: api }', '10.2.0.1', '[{ name: http, containerPort: 8080 }]'),
  pod(
    'kube-system',
    'coredns',
    '{ k8s-app: kube-dns }',
    '10.0.0.10',
    '[{ name: dns, containerPort: 53, protocol: UDP }]',
  ),
  service('billing', 'api', '{ selector: { app: api }, ports: [{ port: 80, targetPort: 8080 }] }'),
];

/** Admin: the shop may not send to billing (the source's egress). */
const freezeBilling = cnp(
  'freeze-billing',
  `{ tier: Admin, priority: 5, subject: { namespaces: { matchLabels: { tenant: shop } } },
     egress: [{ name: no-billing, action: Deny, to: [{ namespaces: { matchLabels: { tenant: billing } } }] }] }`,
);
/** Admin: the shop may not ask cluster DNS (the source's egress). */
const noDns = cnp(
  'no-dns',
  `{ tier: Admin, priority: 5, subject: { namespaces: { matchLabels: { tenant: shop } } },
     egress: [{ name: dns, action: Deny, to: [{ pods: { namespaceSelector: {}, podSelector: { matchLabels: { k8s-app: kube-dns } } } }] }] }`,
);
/** Admin: pass everything to billing's ingress on to NetworkPolicy. */
const passToBilling = cnp(
  'pass-billing',
  `{ tier: Admin, priority: 1, subject: { namespaces: { matchLabels: { tenant: billing } } },
     ingress: [{ name: pass, action: Pass, from: [{ namespaces: {} }] }] }`,
);
const ciliumOnApi = cilium(
  'billing',
  'api-in',
  '{ endpointSelector: { matchLabels: { app: api } }, ingress: [{}] }',
);
const ciliumOnWeb = cilium(
  'shop',
  'web-out',
  '{ endpointSelector: { matchLabels: { app: web } }, egress: [{}] }',
);

const toApi = (expect: string) =>
  `{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } }, namespace: billing }, port: 8080, expect: ${expect} }`;
const toApiByName = (expect: string) =>
  `{ name: f, from: { labels: { app: web } }, to: { service: api, namespace: billing }, port: 80, expect: ${expect} }`;

interface Case {
  name: string;
  docs: string[];
  flow: string;
  predicted: FlowExplanation['predicted'];
  check: (f: FlowExplanation, findings: string[]) => void;
}

const never = (lines: readonly string[], re: RegExp) => {
  for (const line of lines) assert.doesNotMatch(line, re);
};

const cases: Case[] = [
  {
    name: 'Admin egress Deny on the source + Cilium ingress on the destination: Denied stands, the finding too',
    docs: [freezeBilling, ciliumOnApi],
    flow: toApi('Allowed'),
    predicted: 'Denied',
    check: (f, findings) => {
      assert.equal(
        f.reasons[0],
        'CiliumNetworkPolicy billing/api-in may select the destination (ingress); flowprobe does not model it',
      );
      assert.ok(f.reasons.some((r) => /\[Admin\] cnp\/freeze-billing egress rule 'no-billing'/.test(r)));
      assert.equal(f.outOfModel, undefined, 'the operator may still blame an enforcer that lets it through');
      // What the operator appends to its sentence: the Admin Deny, not an out-of-model line.
      assert.match(f.diagnosis[0] ?? '', /^admin deny: cnp\/freeze-billing/);
      assert.ok(findings.some((m) => /makes the declared Allowed flow shop\/t f impossible/.test(m)));
    },
  },
  {
    name: 'Admin egress Deny on the source + Cilium egress on the same source: Unknown, and no claim that it is impossible',
    docs: [freezeBilling, ciliumOnWeb],
    flow: toApi('Allowed'),
    predicted: 'Unknown',
    check: (f, findings) => {
      assert.match(
        f.diagnosis[0] ?? '',
        /^out-of-model policy: CiliumNetworkPolicy shop\/web-out may select the source/,
      );
      assert.ok(
        f.reasons.includes('The cluster tiers and NetworkPolicy would predict Denied:'),
        f.reasons.join('\n'),
      );
      never(f.reasons, /^NetworkPolicy alone/);
      never(f.diagnosis, /^admin deny:|only a change to/);
      never(findings, /impossible/);
    },
  },
  {
    name: 'Admin Deny of DNS, target by name: names the Admin rule and never says to allow DNS in a NetworkPolicy',
    docs: [noDns],
    flow: toApiByName('Allowed'),
    predicted: 'Denied',
    check: (f) => {
      assert.equal(f.dnsAllowed, false);
      assert.equal(f.dnsDeniedBy, "[Admin] cnp/no-dns egress rule 'dns' (priority 5) Deny");
      assert.match(
        f.diagnosis[0] ?? '',
        /^missing DNS egress: cnp\/no-dns egress rule 'dns' \(priority 5\) Deny denies DNS before any NetworkPolicy/,
      );
      never(f.diagnosis, /allow UDP and TCP 53/);
    },
  },
  {
    name: 'Admin Deny of DNS + Cilium egress on the source: no DNS claim at all (the source’s egress is out of the model)',
    docs: [noDns, ciliumOnWeb],
    flow: toApiByName('Allowed'),
    predicted: 'Unknown',
    check: (f) => {
      assert.deepEqual([f.dnsAllowed, f.dnsDeniedBy], [undefined, undefined]);
      never(f.diagnosis, /DNS/);
    },
  },
  {
    name: 'Admin Deny of DNS + Cilium ingress on the destination: DNS is the source’s egress, so Denied stands',
    docs: [noDns, ciliumOnApi],
    flow: toApiByName('Allowed'),
    predicted: 'Denied',
    check: (f) => {
      assert.equal(f.dnsDeniedBy, "[Admin] cnp/no-dns egress rule 'dns' (priority 5) Deny");
      assert.match(f.diagnosis[0] ?? '', /^missing DNS egress: cnp\/no-dns/);
      assert.match(f.reasons[0] ?? '', /^CiliumNetworkPolicy billing\/api-in may select the destination/);
    },
  },
  {
    name: 'Admin Pass to a NetworkPolicy deny + Cilium ingress on that destination: Unknown, the chain kept in the reasons',
    docs: [passToBilling, policy('billing', 'deny', '{ podSelector: {} }'), ciliumOnApi],
    flow: toApi('Denied'),
    predicted: 'Unknown',
    check: (f) => {
      assert.ok(
        f.reasons.some((r) =>
          /\[Admin\] cnp\/pass-billing ingress rule 'pass' \(priority 1\) Pass → \[NetworkPolicy\] denied/.test(
            r,
          ),
        ),
      );
      assert.deepEqual(
        f.outOfModel?.map((o) => o.object),
        ['CiliumNetworkPolicy billing/api-in'],
      );
    },
  },
  {
    name: 'no policy at all + Cilium ingress on the destination: never says that no policy applies to the flow',
    docs: [ciliumOnApi],
    flow: toApi('Denied'),
    predicted: 'Unknown',
    check: (f) => {
      never(f.diagnosis, /no policy applies/);
      assert.ok(f.reasons.includes('NetworkPolicy alone would predict Allowed:'));
    },
  },
];

describe('explain: the cluster tiers and the objects flowprobe does not model, on one flow', () => {
  for (const c of cases) {
    it(c.name, () => {
      const r = report(...cluster, ...c.docs, ctest('shop', c.flow));
      const f = result(r, 'f');
      assert.equal(f.predicted, c.predicted, JSON.stringify(f, null, 1));
      assert.equal(f.agrees, c.predicted === 'Unknown' ? null : c.predicted === f.expected);
      c.check(
        f,
        r.findings.map((x) => `${x.policy} ${x.message}`),
      );
    });
  }
});

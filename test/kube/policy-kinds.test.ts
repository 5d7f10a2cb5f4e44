// Which policy kinds the operator caches, from what discovery says the API server serves (pure).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { discoverPolicyKinds } from '../../src/kube/discovery.js';
import { kindsToCache, POLICY_KINDS } from '../../src/kube/policy-kinds.js';

interface Role {
  kind: string;
  rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
}

const ids = (...list: string[]) => new Set(list);

describe('the policy kinds to cache', () => {
  const cases: [string, Set<string>, string[]][] = [
    ['none served: none', ids(), []],
    [
      'ClusterNetworkPolicy and AdminNetworkPolicy as served',
      ids(
        'policy.networking.k8s.io/v1alpha2/clusternetworkpolicies',
        'policy.networking.k8s.io/v1alpha1/adminnetworkpolicies',
      ),
      ['ClusterNetworkPolicy', 'AdminNetworkPolicy'],
    ],
    [
      "Calico's crd.projectcalico.org/v1 kinds where projectcalico.org/v3 is absent",
      ids('crd.projectcalico.org/v1/networkpolicies', 'crd.projectcalico.org/v1/globalnetworkpolicies'),
      ['crd.projectcalico.org/v1 NetworkPolicy', 'crd.projectcalico.org/v1 GlobalNetworkPolicy'],
    ],
    [
      'a Calico kind from projectcalico.org/v3 only, where both serve it; another kind v1 only serves stays',
      ids(
        'projectcalico.org/v3/networkpolicies',
        'crd.projectcalico.org/v1/networkpolicies',
        'crd.projectcalico.org/v1/globalnetworkpolicies',
      ),
      ['projectcalico.org/v3 NetworkPolicy', 'crd.projectcalico.org/v1 GlobalNetworkPolicy'],
    ],
    [
      "Antrea's ClusterNetworkPolicy is not policy.networking.k8s.io's",
      ids('crd.antrea.io/v1beta1/clusternetworkpolicies'),
      ['crd.antrea.io/v1beta1 ClusterNetworkPolicy'],
    ],
    ['a resource not in the table: nothing', ids('cilium.io/v2/ciliumendpoints'), []],
  ];
  for (const [name, served, want] of cases) {
    it(name, () => {
      const got = kindsToCache(served).map((k) =>
        want.some((w) => w.includes(' ')) ? `${k.group}/${k.version} ${k.kind}` : k.kind,
      );
      assert.deepEqual(got, want);
    });
  }

  it("has a list and watch grant in deploy/rbac.yaml for every kind (and Calico's tier grants), and no other grant in their groups", () => {
    const docs = parseAllDocuments(readFileSync(new URL('../../deploy/rbac.yaml', import.meta.url), 'utf8'));
    const role = docs.map((d) => d.toJS() as Role).find((o) => o.kind === 'ClusterRole')!;
    const groups = new Set(POLICY_KINDS.map((k) => k.group));
    const granted = role.rules
      .filter((r) => r.apiGroups.some((g) => groups.has(g)))
      .flatMap((r) =>
        r.apiGroups.flatMap((g) => r.resources.map((res) => `${g}/${res} ${r.verbs.join(',')}`)),
      );
    // Calico's API server also checks get on tiers and list/watch on tier.<kind> for its tiered kinds
    // (docs.tigera.io, "Configure RBAC for tiered policies").
    const tiered = [
      'networkpolicies',
      'globalnetworkpolicies',
      'stagednetworkpolicies',
      'stagedglobalnetworkpolicies',
    ];
    const wanted = [
      ...new Set(POLICY_KINDS.map((k) => `${k.group}/${k.plural} list,watch`)),
      'projectcalico.org/tiers get',
      ...tiered.map((r) => `projectcalico.org/tier.${r} list,watch`),
    ];
    assert.deepEqual(granted.sort(), wanted.sort());
  });
});

describe('discovering the served policy kinds', () => {
  const docs: Record<string, object> = {
    '/apis': {
      groups: [
        { versions: [{ groupVersion: 'apps/v1' }] },
        { versions: [{ groupVersion: 'cilium.io/v2' }, { groupVersion: 'cilium.io/v2alpha1' }] },
        { versions: [{ groupVersion: 'projectcalico.org/v3' }] },
      ],
    },
    '/apis/cilium.io/v2': {
      resources: [
        { name: 'ciliumnetworkpolicies', verbs: ['get', 'list', 'watch'] },
        { name: 'ciliumnetworkpolicies/status', verbs: ['get', 'patch'] },
        { name: 'ciliumclusterwidenetworkpolicies', verbs: ['get'] },
      ],
    },
  };

  it('reads /apis, then only the listed group versions of policy kinds; keeps what can be listed and watched', async () => {
    const asked: string[] = [];
    const failure = new Error('503 the Calico API server is unavailable');
    const found = await discoverPolicyKinds((path) => {
      asked.push(path);
      if (path === '/apis/projectcalico.org/v3') return Promise.reject(failure);
      return Promise.resolve(docs[path]);
    });
    assert.deepEqual(asked.sort(), ['/apis', '/apis/cilium.io/v2', '/apis/projectcalico.org/v3']);
    assert.deepEqual([...found.served], ['cilium.io/v2/ciliumnetworkpolicies']);
    assert.deepEqual(found.failed, [{ groupVersion: 'projectcalico.org/v3', error: failure }]);
  });

  it('treats a group version that vanished between the two reads (404) as serving nothing', async () => {
    const found = await discoverPolicyKinds((path) =>
      Promise.resolve(path === '/apis' ? docs[path] : undefined),
    );
    assert.deepEqual([found.served.size, found.failed.length], [0, 0]);
  });
});

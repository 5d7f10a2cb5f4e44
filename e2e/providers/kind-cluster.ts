// The real-cluster provider: whatever cluster the kubeconfig names (in CI, the kind cluster that
// e2e/setup.sh created and installed the operator into with `kubectl apply -k e2e/overlay`).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import type { E2eCluster, Enforcement } from './e2e-cluster.js';

const run = promisify(execFile);
const OPERATOR_NAMESPACE = 'flowprobe';
const OPERATOR_SELECTOR = 'app.kubernetes.io/name=flowprobe,app.kubernetes.io/component=operator';

/** The CNIs e2e/setup.sh installs, and whether each enforces NetworkPolicy. */
const CNI_ENFORCEMENT: Readonly<Record<string, Enforcement>> = {
  kindnet: 'enforced',
  calico: 'enforced',
  flannel: 'ignored',
  // flannel for connectivity, kube-network-policies' npa-v1alpha2 build for policy (e2e/kind/cnp.yaml).
  cnp: 'enforced',
  // kindnet on a dual-stack kind cluster (e2e/kind/kindnet-dual.yaml).
  'kindnet-dual': 'enforced',
};

/** The CNI setups whose pods and Services have both address families. */
const DUAL_STACK = new Set(['kindnet-dual']);

/** The one CNI setup that enforces ClusterNetworkPolicy tiers. */
const CLUSTER_POLICIES = new Set(['cnp']);

export function kindCluster(kubeconfigPath: string, cni: string): E2eCluster | string {
  const enforcement = CNI_ENFORCEMENT[cni];
  if (enforcement === undefined) {
    const known = Object.keys(CNI_ENFORCEMENT).join(', ');
    return `FLOWPROBE_E2E_CNI=${cni} is not a CNI e2e/setup.sh installs (${known})`;
  }
  const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfigPath, ...args]);
  return {
    description: `kind cluster (CNI ${cni}, NetworkPolicy ${enforcement}; ${kubeconfigPath})`,
    enforcement,
    clusterPolicies: CLUSTER_POLICIES.has(cni),
    dualStack: DUAL_STACK.has(cni),
    externalTargets: true,
    kubeconfigPath,
    kubeConfig: () => {
      const kc = new KubeConfig();
      kc.loadFromFile(kubeconfigPath);
      return kc;
    },
    stopOperator: async () => {
      await kubectl('-n', OPERATOR_NAMESPACE, 'scale', 'deployment/flowprobe-operator', '--replicas=0');
      // kubectl says "no matching resources" when the pods were gone before it looked: that is done too.
      await kubectl(
        ...[
          '-n',
          OPERATOR_NAMESPACE,
          'wait',
          '--for=delete',
          'pod',
          '-l',
          OPERATOR_SELECTOR,
          '--timeout=120s',
        ],
      ).catch((err: unknown) => {
        if (!String((err as { stderr?: string }).stderr).includes('no matching resources')) throw err;
      });
    },
    stop: () => Promise.resolve(),
  };
}

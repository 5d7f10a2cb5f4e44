// Which cluster the suite runs against. With FLOWPROBE_E2E_KUBECONFIG or KUBECONFIG: that cluster (kind
// in CI, its CNI named by FLOWPROBE_E2E_CNI, default kindnet). Otherwise: the FAKE local cluster with the
// operator in process (FLOWPROBE_E2E_CNI enforcing, the default, or none).
import { fakeLocalCluster } from './fake-local-cluster.js';
import { kindCluster } from './kind-cluster.js';
import type { ProviderResult } from './e2e-cluster.js';

export type { E2eCluster, Enforcement, ProviderResult } from './e2e-cluster.js';

export async function chooseProvider(env: NodeJS.ProcessEnv = process.env): Promise<ProviderResult> {
  const kubeconfig = env.FLOWPROBE_E2E_KUBECONFIG ?? env.KUBECONFIG;
  if (kubeconfig !== undefined && kubeconfig !== '') {
    const cluster = kindCluster(kubeconfig, env.FLOWPROBE_E2E_CNI ?? 'kindnet');
    if (typeof cluster === 'string') throw new Error(cluster);
    return { cluster };
  }
  return fakeLocalCluster(env.FLOWPROBE_E2E_CNI ?? 'enforcing');
}

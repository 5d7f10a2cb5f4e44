// Where the operator finds its cluster: a kubeconfig file when given, else in-cluster service-account
// credentials when the caller says it runs in a pod, else the user's default kubeconfig.
import { KubeConfig } from '@kubernetes/client-node';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
}

export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
  else if (options.inCluster) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (options.context) kc.setCurrentContext(options.context);
  return kc;
}

export { KubeConfig };

/** The namespace the current context names (in a cluster: the pod's own, from its service account). */
export function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}

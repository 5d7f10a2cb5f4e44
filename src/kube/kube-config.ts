// Where the operator finds its cluster: a kubeconfig file when given, else in-cluster service-account
// credentials when the caller says it runs in a pod, else the user's default kubeconfig.
import { KubeConfig } from '@kubernetes/client-node';
import { KubeConfigError } from './kube-config-error.js';

export interface KubeConfigOptions {
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
}

/**
 * The configuration to reach the cluster with. Throws KubeConfigError naming the file (or the in-cluster
 * credentials), the context and the system error when that configuration cannot reach any cluster: the
 * client library would otherwise fail later with "no current cluster" and no hint of where to look.
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const kc = new KubeConfig();
  const source =
    options.kubeconfig ?? (options.inCluster ? 'the in-cluster service account' : defaultSource());
  try {
    if (options.kubeconfig) kc.loadFromFile(options.kubeconfig);
    else if (options.inCluster) kc.loadFromCluster();
    else kc.loadFromDefault();
  } catch (cause) {
    throw new KubeConfigError(`cannot load the kubeconfig ${source}: ${messageOf(cause)}`, { cause });
  }
  const contexts = kc.getContexts().map((c) => c.name);
  const known = `(its contexts: ${contexts.length ? contexts.join(', ') : 'none'})`;
  if (options.context) {
    if (!contexts.includes(options.context))
      throw new KubeConfigError(`the kubeconfig ${source} has no context "${options.context}" ${known}`);
    kc.setCurrentContext(options.context);
  }
  const current = kc.getCurrentContext();
  if (!kc.getCurrentCluster()) {
    const which = current
      ? `its context "${current}" names no cluster it defines`
      : 'it has no current context';
    throw new KubeConfigError(
      `the kubeconfig ${source} leads to no cluster: ${which}; pass --context ${known}`,
    );
  }
  return kc;
}

/** Where loadFromDefault looks, for messages: $KUBECONFIG, else ~/.kube/config. */
function defaultSource(): string {
  return process.env.KUBECONFIG || '~/.kube/config';
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export { KubeConfig };

/** The namespace the current context names (in a cluster: the pod's own, from its service account). */
export function contextNamespace(kc: KubeConfig): string | undefined {
  return kc.getContextObject(kc.getCurrentContext())?.namespace || undefined;
}

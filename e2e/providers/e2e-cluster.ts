// What a test body needs from a cluster, whichever provider gives it: a kubeconfig (as a client
// configuration and as a file for `flowprobe run`), whether the CNI enforces NetworkPolicy, and a way to
// stop the operator. The bodies never ask which provider they run on.
import type { KubeConfig } from '@kubernetes/client-node';

/** Whether the cluster's CNI enforces NetworkPolicy: the seeds' problem 1 is the `ignored` case. */
export type Enforcement = 'enforced' | 'ignored';

export interface E2eCluster {
  /** How the suite names the cluster in its output, e.g. "kind (calico)" or "FAKE local cluster". */
  readonly description: string;
  readonly enforcement: Enforcement;
  /**
   * Whether the CNI enforces ClusterNetworkPolicy (Admin and Baseline tiers) and the cluster serves it: kind
   * with kube-network-policies (`cnp`), or the FAKE local cluster's enforcing CNI.
   */
  readonly clusterPolicies: boolean;
  /**
   * Whether flows to addresses outside the cluster (the metadata address) may be probed. The FAKE local
   * cluster never sends traffic beyond the network namespaces it made.
   */
  readonly externalTargets: boolean;
  /** Whether pods and Services have IPv4 and IPv6 addresses (kind `kindnet-dual`, the FAKE `dual`). */
  readonly dualStack?: boolean;
  /** A kubeconfig file with the admin identity as its current context. */
  readonly kubeconfigPath: string;
  kubeConfig(): KubeConfig;
  /**
   * Stops the operator. `flowprobe run` runs after the operator's tests with no operator in the cluster
   * (its documented setting): a running operator's reaper deletes probe pods of runs it does not own.
   */
  stopOperator(): Promise<void>;
  /** Releases what the provider started (the FAKE cluster and in-process operator); kind stays up. */
  stop(): Promise<void>;
}

/** A cluster to test, or why this machine cannot provide one (the suite then skips and says so). */
export type ProviderResult = { cluster: E2eCluster } | { skip: string };

export { FakeCluster, type FakeClusterOptions } from './fake-cluster.js';
export { FakeKubelet, type FakeKubeletOptions } from './fake-kubelet.js';
export { FakeCni, type FakeCniOptions } from './fake-cni.js';
export { FakeKubeProxy } from './fake-kube-proxy.js';
export { kubeProxyRuleset, KUBE_PROXY_TABLE } from './kube-proxy-rules.js';
export { servicePortEndpoints, type ServicePortEndpoints } from './service-endpoints.js';
export { FakeWorkloadController } from './fake-workload-controller.js';
export {
  FakeDisruptionController,
  DISRUPTION_CONTROLLER_USER,
  type BudgetStatus,
} from './fake-disruption-controller.js';
export { IdentityClient, ApiCallError } from './identity-client.js';
export { FakeResolver, resolverPod } from './fake-resolver.js';
export { podRuleset, TABLE, type CniMode } from './nft-rules.js';
export { dnsRecords, hostsFile } from './dns-records.js';
export { declaredLog, type DeclaredOutcome, type OutcomeTable } from './outcome-table.js';
export {
  containerKind,
  defaultImagePolicy,
  FAKE_RESOLVER_IMAGE,
  type ImagePolicy,
} from './container-kind.js';
export { detectPrerequisites, MissingPrerequisitesError } from './prerequisites.js';
export { NODE_IP, POD_CIDR, RESOLVER_IP, CLUSTER_DOMAIN } from './addresses.js';

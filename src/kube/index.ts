export {
  KubeCluster,
  type ClusterHooks,
  type OwnerKind,
  type WatchedKind,
  type WatchedObject,
} from './cluster.js';
export type { PodSource } from './cached-pods.js';
export type { CachedPod, CompactPod } from './compact-pod.js';
export { KubeApiError } from './api-error.js';
export { contextNamespace, loadKubeConfig, type KubeConfigOptions } from './kube-config.js';
export { KubeConfigError } from './kube-config-error.js';
export type { ChangeType } from './informer.js';
export type {
  ClusterTestObject,
  LeaseRecord,
  PodObject,
  TestObject,
  WireObject,
  Meta,
  ContainerStatus,
} from './objects.js';
export { microTime } from './micro-time.js';

// What a run needs from the cluster to run probe pods: the operator's KubeCluster and `flowprobe run`'s
// client both provide it, so the two drive the same code.
import type { PodObject } from '../kube/objects.js';

export interface ProbePodApi {
  createPod(namespace: string, manifest: object): Promise<PodObject>;
  podLog(namespace: string, name: string, container: string): Promise<string>;
  /** Deletes at once; a pod already gone is not an error. */
  deletePod(namespace: string, name: string): Promise<void>;
}

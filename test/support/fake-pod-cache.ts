// A FAKE of the operator's pod cache for tests of what reads it (the Predictor, planning): client-node's
// ListWatch store semantics without a server — objects kept per namespace in insertion order, an update
// keeping its place, a namespace's map dropped when its last pod goes (client-node dist/cache.js
// `addOrUpdateObject`, `deleteObject`) — and each change reported to the real CachedPods change log, after
// it is applied, as KubeCluster's informer hook does.
import { CachedPods, type PodLister } from '../../src/kube/cached-pods.js';
import type { CachedPod } from '../../src/kube/compact-pod.js';
import { Interner } from '../../src/kube/interner.js';
import type { PodObject } from '../../src/kube/objects.js';
import { cachedPod } from '../../src/kube/trim.js';

export class FakePodCache implements PodLister {
  readonly source: CachedPods;
  private readonly objects = new Map<string, Map<string, CachedPod>>();
  private readonly interner = new Interner();

  constructor(pods: readonly PodObject[] = []) {
    this.source = new CachedPods(this);
    for (const pod of pods) this.apply(pod);
  }

  /** A pod added or changed, as a watch event hands it over. */
  apply(pod: PodObject): CachedPod {
    const kept = cachedPod(pod, this.interner);
    const namespace = pod.metadata.namespace ?? '';
    let inNamespace = this.objects.get(namespace);
    if (inNamespace === undefined) {
      inNamespace = new Map();
      this.objects.set(namespace, inNamespace);
    }
    const type = inNamespace.has(pod.metadata.name) ? 'update' : 'add';
    inNamespace.set(pod.metadata.name, kept);
    this.source.record(type, kept);
    return kept;
  }

  remove(namespace: string, name: string): void {
    const inNamespace = this.objects.get(namespace);
    const pod = inNamespace?.get(name);
    if (inNamespace === undefined || pod === undefined) return;
    inNamespace.delete(name);
    if (inNamespace.size === 0) this.objects.delete(namespace);
    this.source.record('delete', pod);
  }

  list(namespace?: string): readonly CachedPod[] {
    if (namespace === undefined) return [...this.objects.values()].flatMap((m) => [...m.values()]);
    return [...(this.objects.get(namespace)?.values() ?? [])];
  }
}

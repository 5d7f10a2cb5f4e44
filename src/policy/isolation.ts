// Isolation (Kubernetes docs, "The two sorts of pod isolation"): a pod is isolated for ingress (egress)
// iff at least one NetworkPolicy in its namespace selects it and has Ingress (Egress) among its effective
// policyTypes. Policies are indexed by namespace once, and each pod's answer is cached, so a pod that is
// the source or target of many flows is matched against its namespace's policies only once.
import type { CompiledPolicy } from './compile.js';
import type { PodEndpoint, PolicyType } from './types.js';

interface PodIsolation {
  Ingress: CompiledPolicy[];
  Egress: CompiledPolicy[];
}

export class IsolationIndex {
  private readonly byNamespace = new Map<string, CompiledPolicy[]>();
  private readonly cache = new WeakMap<PodEndpoint, PodIsolation>();

  constructor(policies: readonly CompiledPolicy[]) {
    for (const p of policies) {
      const list = this.byNamespace.get(p.namespace);
      if (list === undefined) this.byNamespace.set(p.namespace, [p]);
      else list.push(p);
    }
  }

  /** The policies of the pod's namespace that select it: all of them together make the allow list. */
  isolating(pod: PodEndpoint, direction: PolicyType): CompiledPolicy[] {
    let entry = this.cache.get(pod);
    if (entry === undefined) {
      const selecting = (this.byNamespace.get(pod.namespace) ?? []).filter((p) => p.selects(pod.labels));
      entry = {
        Ingress: selecting.filter((p) => p.types.has('Ingress')),
        Egress: selecting.filter((p) => p.types.has('Egress')),
      };
      this.cache.set(pod, entry);
    }
    return entry[direction];
  }

  policiesIn(namespace: string): readonly CompiledPolicy[] {
    return this.byNamespace.get(namespace) ?? [];
  }
}

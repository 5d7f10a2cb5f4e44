// Workloads as coverage sees them: whether a NetworkPolicy isolates each in each direction (a pod no policy
// isolates accepts anything and sends anywhere — Kubernetes docs, "The two sorts of pod isolation"), and
// whether any declared flow reaches it, as its resolved source or one of its target endpoints.
import type { PolicyEngine } from '../policy/engine.js';
import type { PodEndpoint, PolicyType } from '../policy/types.js';
import type { WorkloadCoverage } from './coverage-types.js';
import type { FlowObservation } from './flow-observation.js';

/** A workload and its pods (the first stands for all: they share labels, so policy treats them alike). */
export interface Workload {
  namespace: string;
  name: string;
  pods: readonly PodEndpoint[];
}

/** The workloads, and which one a pod (or template) belongs to. */
export interface WorkloadSource {
  list(): readonly Workload[];
  of(pod: PodEndpoint): Workload | undefined;
}

/** explain's view: every Pod and workload template read from the manifests is a workload of its own. */
export function endpointWorkloads(pods: readonly PodEndpoint[]): WorkloadSource {
  const byPod = new Map<PodEndpoint, Workload>();
  for (const pod of pods) byPod.set(pod, { namespace: pod.namespace, name: pod.name, pods: [pod] });
  return { list: () => [...byPod.values()], of: (pod) => byPod.get(pod) };
}

export class WorkloadLedger {
  private readonly testedBy = new Map<Workload, string[]>();

  constructor(
    private readonly source: WorkloadSource,
    private readonly engine: PolicyEngine,
  ) {}

  observe(o: FlowObservation): void {
    const endpoints = o.source === undefined ? o.targets : [o.source, ...o.targets];
    for (const e of endpoints) {
      if (e.kind !== 'pod') continue;
      const workload = this.source.of(e);
      if (workload === undefined) continue;
      const flows = this.testedBy.get(workload);
      if (flows === undefined) this.testedBy.set(workload, [o.flow]);
      else if (flows[flows.length - 1] !== o.flow) flows.push(o.flow);
    }
  }

  list(): WorkloadCoverage[] {
    return this.source.list().map((w) => {
      const [pod] = w.pods;
      const ingress = pod !== undefined && this.isolated(pod, 'Ingress');
      const egress = pod !== undefined && this.isolated(pod, 'Egress');
      return {
        namespace: w.namespace,
        name: w.name,
        isolated: { ingress, egress },
        exposure: pod === undefined ? [] : this.exposure(pod, ingress, egress),
        testedBy: this.testedBy.get(w) ?? [],
      };
    });
  }

  private isolated(pod: PodEndpoint, direction: PolicyType): boolean {
    return this.engine.isolating(pod, direction).length > 0;
  }

  private exposure(pod: PodEndpoint, ingress: boolean, egress: boolean): string[] {
    if (pod.hostNetwork === true)
      return ['it uses the host network: NetworkPolicy does not apply to it in either direction'];
    const out: string[] = [];
    if (!ingress)
      out.push(`ingress: any pod in the cluster can reach it on any port${this.unless(pod, 'Ingress')}`);
    if (!egress) out.push(`egress: it can reach anything${this.unless(pod, 'Egress')}`);
    return out;
  }

  /** Cluster-scoped policies still act on a pod no NetworkPolicy isolates: name them. */
  private unless(pod: PodEndpoint, direction: PolicyType): string {
    const cluster = this.engine.cluster;
    if (cluster.empty) return '';
    const keys = [
      ...cluster.selecting(pod, 'Admin', direction),
      ...cluster.selecting(pod, 'Baseline', direction),
    ].map((p) => p.key);
    return keys.length === 0 ? '' : `, except what ${keys.join(', ')} decide`;
  }
}

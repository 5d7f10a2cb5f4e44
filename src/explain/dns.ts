// Name resolution as a flow of its own: a target reached by name works only if the source may send
// UDP 53 to the cluster DNS (kube-dns in kube-system) — the classic default-deny-egress outage (DESIGN.md
// problem 3). TCP 53 matters for answers too large for UDP, so its absence is a note, not a denial.
// When the manifests hold no kube-dns, the standard one (k8s-app=kube-dns in kube-system) stands in.
import {
  formatHit,
  type PodEndpoint,
  type PolicyEngine,
  type PolicyPrediction,
  type Tri,
} from '../policy/index.js';

/** Where the cluster DNS runs: the one namespace whose pods change what DNS checks answer. */
export const DNS_NAMESPACE = 'kube-system';

export const STANDARD_KUBE_DNS: PodEndpoint = {
  kind: 'pod',
  namespace: 'kube-system',
  name: 'kube-dns',
  labels: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', containerPort: 53, protocol: 'UDP' },
    { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
  ],
};

export interface DnsCheck {
  decision: Tri;
  /** Why names will not resolve (or might not); empty when DNS works. */
  reasons: string[];
  notes: string[];
  /**
   * The Admin-tier rule that denies the query, e.g. `[Admin] cnp/x egress rule 'dns' (priority 5) Deny`: it
   * decides before any NetworkPolicy, so the usual remedy (a NetworkPolicy allowing DNS) cannot work.
   */
  adminDeny?: string;
  /** The UDP query's prediction and the DNS pod it goes to: what coverage records (src/coverage). */
  query?: { to: PodEndpoint; prediction: PolicyPrediction };
}

export class DnsChecker {
  private readonly cache = new WeakMap<PodEndpoint, DnsCheck>();
  private readonly dns: PodEndpoint;

  constructor(
    private readonly engine: PolicyEngine,
    podsOf: (namespace: string) => readonly PodEndpoint[],
  ) {
    this.dns = podsOf(DNS_NAMESPACE).find((p) => p.labels['k8s-app'] === 'kube-dns') ?? STANDARD_KUBE_DNS;
  }

  check(source: PodEndpoint): DnsCheck {
    let hit = this.cache.get(source);
    if (hit === undefined) {
      hit = this.evaluate(source);
      this.cache.set(source, hit);
    }
    return hit;
  }

  private evaluate(source: PodEndpoint): DnsCheck {
    const udp = this.engine.predict({ from: source, to: this.dns, port: 53, protocol: 'UDP' });
    const tcp = this.engine.predict({ from: source, to: this.dns, port: 53, protocol: 'TCP' });
    const decision: Tri = udp.predicted === 'Allowed' ? 'yes' : udp.predicted === 'Denied' ? 'no' : 'unknown';
    const target = `${this.dns.namespace}/${this.dns.name}`;
    const reasons =
      decision === 'yes'
        ? []
        : [`DNS (UDP 53 to ${target}) ${decision === 'no' ? 'is denied' : 'is undecided'}: ${blame(udp)}`];
    const notes =
      decision === 'yes' && tcp.predicted === 'Denied'
        ? [`DNS over TCP 53 to ${target} is denied: answers too large for UDP will fail`]
        : [];
    const admin = decision === 'no' ? adminDenyOf(udp) : undefined;
    const query = { to: this.dns, prediction: udp };
    return { decision, reasons, notes, ...(admin === undefined ? {} : { adminDeny: admin }), query };
  }
}

/** The Admin rule that denies the side stopping the query, if that is what stops it. */
function adminDenyOf(p: PolicyPrediction): string | undefined {
  const side = p.egress.decision === 'no' ? p.egress : p.ingress;
  const hit = side.tiers?.hit;
  return side.tiers?.decidedBy === 'Admin' && hit?.rule.action === 'Deny' ? formatHit(hit) : undefined;
}

/** The reason line of the side that stops the DNS query. */
function blame(p: PolicyPrediction): string {
  const [egress, ingress] = p.reasons;
  return (p.egress.decision !== 'yes' ? egress : ingress) ?? '';
}

// The FAKE CNI: gives each pod's network namespace an nftables table that enforces the cluster's
// NetworkPolicies and, where served, ClusterNetworkPolicy tiers (nft-rules.ts, tier-rules.ts), in one of three modes: `enforcing` drops, `reject` rejects, `none`
// programs nothing (as flannel). It enforces with flowprobe's OWN policy semantics (src/policy), so it
// proves the operator's plumbing and the probe's real behaviour on a real kernel — not the policy engine.
//
// Like a real enforcer it recomputes on every pod, namespace and policy change (debounced), and replaces
// a pod's table atomically (`nft -f`: add, flush, define). With `lagMs`, a new pod is unknown to the CNI
// for that long after its sandbox exists: its own table is not installed and other pods' rules do not
// list its IP yet — as enforcers that program a pod a moment after it starts.
import type { V1Pod } from '@kubernetes/client-node';
import { ObjectSerializer } from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { Problems, type Json } from '../../../src/explain/narrow.js';
import { clusterPolicyKind, readClusterPolicy } from '../../../src/explain/read-cluster-policy.js';
import { readNetworkPolicy } from '../../../src/explain/read-network-policy.js';
import { readWorkload } from '../../../src/explain/read-workload.js';
import { PolicyEngine } from '../../../src/policy/engine.js';
import type { PodEndpoint } from '../../../src/policy/types.js';
import { run } from '../netlab/exec.js';
import type { ClusterSnapshot, SnapshotSource } from './cluster-snapshot.js';
import type { PodNetwork } from './node-network.js';
import { podRuleset, type CniMode } from './nft-rules.js';
import { DebouncedSync } from './debounced-sync.js';

export interface FakeCniOptions {
  mode: CniMode;
  /** How long after a pod's sandbox exists its rules (and its IP in others' rules) take effect. */
  lagMs?: number;
  /** Debounce of recomputation after a change. */
  debounceMs?: number;
}

interface Attached {
  uid: string;
  net: PodNetwork;
  knownAt: number;
  /** The ruleset last applied, to skip `nft` when nothing changed. */
  applied?: string;
}

type PodWithIp = PodEndpoint & { ip: string };

export class FakeCni {
  readonly mode: CniMode;
  readonly lagMs: number;
  private readonly attached = new Map<string, Attached>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  /** Errors of background syncs, for the test output (a failed nft must not pass silently). */
  readonly errors: Error[] = [];
  private readonly resync: DebouncedSync;

  constructor(
    options: FakeCniOptions,
    private readonly snapshot: SnapshotSource,
    private readonly tools: { ip: string; nft: string } | undefined,
  ) {
    this.mode = options.mode;
    this.lagMs = options.lagMs ?? 0;
    this.resync = new DebouncedSync(() => this.syncNow(), options.debounceMs ?? 20, this.errors);
  }

  /** CNI ADD. Without lag the pod's rules (and its peers') are in place when this resolves. */
  async attach(pod: V1Pod, net: PodNetwork): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const knownAt = Date.now() + this.lagMs;
    this.attached.set(uid, { uid, net, knownAt });
    if (this.lagMs <= 0) return this.sync();
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.changed();
    }, this.lagMs);
    timer.unref();
    this.timers.add(timer);
  }

  /** CNI DEL: the namespace (and its table) goes away with the pod; peers' rules forget its IP. */
  detach(uid: string): void {
    if (this.attached.delete(uid)) this.changed();
  }

  /** A pod, namespace or policy changed: recompute soon. */
  changed(): void {
    this.resync.changed();
  }

  /** Recomputes every known pod's table now (serialized with other syncs). */
  sync(): Promise<void> {
    return this.resync.sync();
  }

  private async syncNow(): Promise<void> {
    if (this.stopped || this.mode === 'none' || this.tools === undefined) return;
    const snap = await this.snapshot();
    const now = Date.now();
    const pods = this.knownPods(snap, now);
    const engine = engineFor(snap);
    for (const [uid, pod] of pods) {
      const entry = this.attached.get(uid);
      if (entry === undefined) continue;
      const ruleset = podRuleset({ pod, pods: [...pods.values()], engine, mode: this.mode });
      if (ruleset === entry.applied) continue;
      try {
        await run(this.tools.ip, ['netns', 'exec', entry.net.netns, this.tools.nft, '-f', '-'], ruleset);
        entry.applied = ruleset;
      } catch (err) {
        // A pod torn down while this sync ran has no namespace left to program: not an error.
        if (this.attached.get(uid) === entry) throw err;
      }
    }
  }

  /** The pods whose lag has passed, as policy endpoints with the IP this CNI gave them. */
  private knownPods(snap: ClusterSnapshot, now: number): Map<string, PodWithIp> {
    const out = new Map<string, PodWithIp>();
    for (const pod of snap.pods) {
      const uid = pod.metadata?.uid ?? '';
      const entry = this.attached.get(uid);
      if (entry === undefined || entry.knownAt > now) continue;
      const ns = pod.metadata?.namespace ?? 'default';
      const endpoint = readWorkload(wire(pod, 'V1Pod'), 'Pod', ns, pod.metadata?.name ?? '', new Problems());
      const ip6 = entry.net.ip6;
      out.set(uid, { ...endpoint, ip: entry.net.ip, ...(ip6 === undefined ? {} : { secondIp: ip6 }) });
    }
    return out;
  }

  /** The ruleset currently applied to a pod (for tests and debugging). */
  rulesetOf(uid: string): string | undefined {
    return this.attached.get(uid)?.applied;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.resync.stop();
  }
}

/**
 * The pure readers take wire JSON; the client's models rename some fields (a peer list `from` is `_from`),
 * so models go back through the client's serializer first, or a rule's peers would silently vanish.
 */
function wire(model: object, type: string): Json {
  return JSON.parse(JSON.stringify(ObjectSerializer.serialize(model, type, ''))) as Json;
}

function engineFor(snap: ClusterSnapshot): PolicyEngine {
  return new PolicyEngine({
    namespaces: snap.namespaces.map((ns) => ({
      name: ns.metadata?.name ?? '',
      labels: ns.metadata?.labels ?? {},
    })),
    policies: snap.policies.map((np) =>
      readNetworkPolicy(
        wire(np, 'V1NetworkPolicy'),
        np.metadata?.namespace ?? 'default',
        np.metadata?.name ?? '',
        new Problems(),
      ),
    ),
    clusterPolicies: snap.clusterPolicies.flatMap((obj) => {
      const kind = clusterPolicyKind(obj.kind, obj.apiVersion);
      return kind ? [readClusterPolicy(obj as unknown as Json, kind, obj.metadata.name, new Problems())] : [];
    }),
  });
}

// The FAKE kube-proxy: gives every pod's network namespace the same nftables table (kube-proxy-rules.ts)
// that translates each Service's cluster IP and port to one of its ready endpoints (service-endpoints.ts),
// and rejects connections to a Service port without endpoints, as kube-proxy's nftables mode does
// (kubernetes pkg/proxy/nftables/proxier.go).
//
// Like kube-proxy it resyncs on every Service and pod change (debounced) and replaces its table atomically
// (`nft -f`: add, delete, define). A new pod gets the current table before its containers start (CNI ADD
// time), so a probe never dials a cluster IP that its namespace cannot translate yet. It lives in each
// pod's namespace rather than the node's because the FAKE CNI filters on the pod's own output path, which
// must see the packet after DNAT (kube-proxy-rules.ts).
import { run } from '../netlab/exec.js';
import type { SnapshotSource } from './cluster-snapshot.js';
import { kubeProxyRuleset } from './kube-proxy-rules.js';
import type { PodNetwork } from './node-network.js';
import { servicePortEndpoints } from './service-endpoints.js';
import { DebouncedSync } from './debounced-sync.js';

interface Attached {
  net: PodNetwork;
  applied?: string;
}

export class FakeKubeProxy {
  private readonly attached = new Map<string, Attached>();
  private stopped = false;
  /** Errors of background syncs, for the test output (a Service left untranslated must not pass silently). */
  readonly errors: Error[] = [];
  private readonly resync: DebouncedSync;

  constructor(
    private readonly snapshot: SnapshotSource,
    private readonly tools: { ip: string; nft: string } | undefined,
    debounceMs = 20,
  ) {
    this.resync = new DebouncedSync(() => this.syncNow(), debounceMs, this.errors);
  }

  /** A new pod's namespace: resolves once the current table is in place there. */
  attach(uid: string, net: PodNetwork): Promise<void> {
    this.attached.set(uid, { net });
    return this.sync();
  }

  detach(uid: string): void {
    this.attached.delete(uid);
  }

  /** A Service or pod changed: resync soon. */
  changed(): void {
    this.resync.changed();
  }

  /** Recomputes the table and applies it where it changed (serialized with other syncs). */
  sync(): Promise<void> {
    return this.resync.sync();
  }

  private async syncNow(): Promise<void> {
    if (this.stopped || this.tools === undefined || this.attached.size === 0) return;
    const snap = await this.snapshot();
    const ruleset = kubeProxyRuleset(servicePortEndpoints(snap.services, snap.pods));
    for (const [uid, entry] of this.attached) {
      if (entry.applied === ruleset) continue;
      try {
        await run(this.tools.ip, ['netns', 'exec', entry.net.netns, this.tools.nft, '-f', '-'], ruleset);
        entry.applied = ruleset;
      } catch (err) {
        // A pod torn down while this sync ran has no namespace left to program: not an error.
        if (this.attached.get(uid) === entry) throw err;
      }
    }
  }

  /** The table currently applied in a pod's namespace (for tests and debugging). */
  rulesetOf(uid: string): string | undefined {
    return this.attached.get(uid)?.applied;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.resync.stop();
  }
}

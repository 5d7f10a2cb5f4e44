// The FAKE cluster resolver: dnsmasq, run by the kubelet as the container of a pod `kube-dns-fake` in
// kube-system labelled `k8s-app: kube-dns`, so NetworkPolicies treat it like kube-dns. It answers from a
// hosts file this class rewrites (dns-records.ts), NXDOMAIN for every other name, and forwards nothing.
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { SpawnedContainer } from './child-process.js';
import { FAKE_RESOLVER_IMAGE } from './container-kind.js';
import { dnsRecords, hostsFile } from './dns-records.js';
import type { SnapshotSource } from './cluster-snapshot.js';

const READ_LINE = /read .* names$/;

/** The resolver's pod: the kubelet gives it the fixed resolver address (addresses.ts). */
export function resolverPod(): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-dns-fake', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      restartPolicy: 'Always',
      containers: [
        {
          name: 'dnsmasq',
          image: FAKE_RESOLVER_IMAGE,
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
          ],
        },
      ],
    },
  };
}

export class FakeResolver {
  private process: SpawnedContainer | undefined;
  private written = '';
  private queue: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly snapshot: SnapshotSource,
  ) {
    writeFileSync(this.hostsPath, '');
  }

  private get hostsPath(): string {
    return join(this.dir, 'hosts');
  }

  dnsmasqArgv(dnsmasq: string, ip: string): string[] {
    return [
      dnsmasq,
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--pid-file=',
      '--user=root',
      '--log-facility=-',
      `--listen-address=${ip}`,
      '--bind-interfaces',
      `--addn-hosts=${this.hostsPath}`,
      // Every name not in the hosts file: NXDOMAIN, never forwarded.
      '--address=/#/',
    ];
  }

  /** Called by the runtime once dnsmasq runs: waits until it serves, then loads the current records. */
  async attach(proc: SpawnedContainer): Promise<void> {
    await proc.lines.waitForCount(READ_LINE, 1, 10_000);
    this.process = proc;
    this.written = '';
    await this.sync();
  }

  /** Errors of syncs, for the test output (a resolver with stale records must not pass silently). */
  readonly errors: Error[] = [];

  /** Recomputes the records and, when they changed, makes dnsmasq re-read them (waits until it has). */
  sync(): Promise<void> {
    const next = this.queue.then(() => this.syncNow());
    this.queue = next.catch((err: unknown) => {
      this.errors.push(err instanceof Error ? err : new Error(String(err)));
    });
    return next;
  }

  private async syncNow(): Promise<void> {
    const proc = this.process;
    if (proc === undefined || this.stopped) return;
    const snap = await this.snapshot();
    const text = hostsFile(dnsRecords(snap.pods, snap.services));
    if (text === this.written) return;
    writeFileSync(`${this.hostsPath}.new`, text);
    renameSync(`${this.hostsPath}.new`, this.hostsPath);
    const before = proc.lines.count(READ_LINE);
    if (this.process !== proc) return; // dnsmasq ended meanwhile
    process.kill(proc.pid, 'SIGHUP');
    await proc.lines.waitForCount(READ_LINE, before + 1, 5000);
    this.written = text;
  }

  /** No more syncs; waits for one in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.queue;
  }

  /** dnsmasq exited: nothing to signal until a new one attaches. */
  detach(proc: SpawnedContainer): void {
    if (this.process === proc) this.process = undefined;
  }
}

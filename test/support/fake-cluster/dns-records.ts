// The FAKE resolver's records (pure), as kube-dns/CoreDNS would answer them for this cluster:
//   SERVICE.NS.svc.cluster.local  -> the IPs of the Service's ready pods (headless-style: this FAKE has no
//                                    kube-proxy, so a Service has no virtual IP of its own)
//   A-B-C-D.NS.pod.cluster.local  -> A.B.C.D, for every pod with an IP
// Everything else is NXDOMAIN (dnsmasq's configuration, fake-resolver.ts).
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { compileSelector } from '../../../src/policy/label-selector.js';
import { CLUSTER_DOMAIN } from './addresses.js';
import { isReady } from './cluster-snapshot.js';

export interface DnsRecord {
  name: string;
  ip: string;
}

export function dnsRecords(pods: readonly V1Pod[], services: readonly V1Service[]): DnsRecord[] {
  const records: DnsRecord[] = [];
  const live = pods.filter(
    (p) => p.status?.podIP !== undefined && p.metadata?.deletionTimestamp === undefined,
  );
  for (const pod of live) {
    const ip = pod.status?.podIP ?? '';
    const ns = pod.metadata?.namespace ?? 'default';
    records.push({ name: `${ip.replaceAll('.', '-')}.${ns}.pod.${CLUSTER_DOMAIN}`, ip });
  }
  for (const svc of services) {
    const selector = svc.spec?.selector;
    const ns = svc.metadata?.namespace ?? 'default';
    if (selector === undefined || Object.keys(selector).length === 0) continue; // endpoints by hand
    const name = `${svc.metadata?.name ?? ''}.${ns}.svc.${CLUSTER_DOMAIN}`;
    const selects = compileSelector({ matchLabels: selector }, { object: name, path: 'spec.selector' });
    for (const pod of live) {
      if (pod.metadata?.namespace === ns && isReady(pod) && selects(pod.metadata.labels ?? {})) {
        records.push({ name, ip: pod.status?.podIP ?? '' });
      }
    }
  }
  return records;
}

/** As a hosts file for dnsmasq's --addn-hosts, sorted so that an unchanged set writes the same text. */
export function hostsFile(records: readonly DnsRecord[]): string {
  return records
    .map((r) => `${r.ip} ${r.name}\n`)
    .sort()
    .join('');
}

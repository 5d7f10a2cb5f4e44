// The FAKE resolver's records (pure), as kube-dns/CoreDNS would answer them for this cluster (the
// Kubernetes DNS specification, "Schema"):
//   SERVICE.NS.svc.cluster.local  -> its cluster IP, endpoints or not (the FAKE kube-proxy translates it);
//                                    a headless Service (clusterIP None): the IPs of its ready pods, and no
//                                    record at all (NXDOMAIN) while it has none
//   A-B-C-D.NS.pod.cluster.local  -> A.B.C.D, for every pod with an IP
// Everything else is NXDOMAIN (dnsmasq's configuration, fake-resolver.ts).
import type { V1Pod, V1Service } from '@kubernetes/client-node';
import { CLUSTER_DOMAIN } from './addresses.js';
import { hasClusterIP, readyPodsOf } from './service-endpoints.js';

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
    const ns = svc.metadata?.namespace ?? 'default';
    const name = `${svc.metadata?.name ?? ''}.${ns}.svc.${CLUSTER_DOMAIN}`;
    if (hasClusterIP(svc)) records.push({ name, ip: svc.spec?.clusterIP ?? '' });
    else if (svc.spec?.clusterIP === 'None') {
      for (const pod of readyPodsOf(svc, live)) records.push({ name, ip: pod.status?.podIP ?? '' });
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

// The FAKE kube-proxy's nftables table (pure), laid out as kube-proxy's nftables mode lays out its own
// (kubernetes pkg/proxy/nftables/proxier.go: `nftablesBaseChains`, `setupNFTables`, `syncProxyRules`):
//
// - nat-output (type nat, hook output, priority dstnat = -100): `ip daddr . meta l4proto . th dport vmap
//   @service-ips` sends a Service port to its chain, which picks one ready endpoint at random
//   (`numgen random mod N vmap`) and DNATs to the endpoint's IP and target port;
// - filter-output (priority dstnat-10 = -110, before the DNAT): a Service port without endpoints is in
//   @no-endpoint-services and goes to `reject-chain` — kube-proxy's `reject`, ICMP port-unreachable,
//   which a probe reads as Refused (the iptables mode does the same: a REJECT rule "... has no endpoints");
// - filter-output-post-dnat (priority dstnat+10 = -90): a ClusterIP still addressed after DNAT names a port the
//   Service does not have: rejected ("Reject traffic to invalid ports of ClusterIPs").
//
// The FAKE installs this table in every pod's own network namespace, so the Service address is translated
// on the pod's output path BEFORE the FAKE CNI's filter (priority 0) sees the packet: policy is enforced on
// the endpoint's address and target port, as real CNIs see it after kube-proxy's DNAT (and as
// kube-network-policies enqueues after DNAT: shared/reference/real-cluster.md).
import type { ServicePortEndpoints } from './service-endpoints.js';

export const KUBE_PROXY_TABLE = 'flowprobe_fake_kube_proxy';

/**
 * The `nft -f` script that replaces the table atomically (add, delete, define in one transaction). IPv6
 * cluster IPs (a dual-stack Service's second one) get the same table in the ip6 family, as kube-proxy runs
 * one proxier per family (pkg/proxy/nftables/proxier.go, `NewDualStackProxier`); it is there only when
 * some Service has one.
 */
export function kubeProxyRuleset(ports: readonly ServicePortEndpoints[]): string {
  const v6 = ports.filter((p) => p.clusterIP.includes(':'));
  const v4 = ports.filter((p) => !p.clusterIP.includes(':'));
  return v6.length === 0 ? familyRuleset(v4, 'ip') : familyRuleset(v4, 'ip') + familyRuleset(v6, 'ip6');
}

function familyRuleset(ports: readonly ServicePortEndpoints[], family: 'ip' | 'ip6'): string {
  const addrType = family === 'ip' ? 'ipv4_addr' : 'ipv6_addr';
  const KEY_TYPE = `${addrType} . inet_proto . inet_service : verdict`;
  const served = ports.filter((p) => p.endpoints.length > 0);
  const unserved = ports.filter((p) => p.endpoints.length === 0);
  const clusterIPs = [...new Set(ports.map((p) => p.clusterIP))].sort();
  const key = (p: ServicePortEndpoints) => `${p.clusterIP} . ${p.protocol} . ${p.port}`;
  const chains = served.flatMap((p, i) => serviceChains(p, i));
  return [
    `add table ${family} ${KUBE_PROXY_TABLE}`,
    `delete table ${family} ${KUBE_PROXY_TABLE}`,
    `table ${family} ${KUBE_PROXY_TABLE} {`,
    ...container('set', 'cluster-ips', addrType, clusterIPs),
    ...container(
      'map',
      'service-ips',
      KEY_TYPE,
      served.map((p, i) => `${key(p)} : goto svc-${i}`),
    ),
    ...container(
      'map',
      'no-endpoint-services',
      KEY_TYPE,
      unserved.map((p) => `${key(p)} : goto reject-chain`),
    ),
    '  chain reject-chain {',
    '    reject',
    '  }',
    '  chain filter-output {',
    '    type filter hook output priority -110; policy accept;',
    `    ct state new ${family} daddr . meta l4proto . th dport vmap @no-endpoint-services`,
    '  }',
    '  chain nat-output {',
    '    type nat hook output priority -100; policy accept;',
    `    ${family} daddr . meta l4proto . th dport vmap @service-ips`,
    '  }',
    '  chain filter-output-post-dnat {',
    '    type filter hook output priority -90; policy accept;',
    `    ct state new ${family} daddr @cluster-ips reject`,
    '  }',
    ...chains,
    '}',
    '',
  ].join('\n');
}

function container(kind: 'set' | 'map', name: string, type: string, elements: readonly string[]): string[] {
  const body = elements.length === 0 ? [] : [`    elements = { ${elements.join(', ')} }`];
  return [`  ${kind} ${name} {`, `    type ${type}`, ...body, '  }'];
}

/** One Service port: a chain that picks an endpoint at random, and one DNAT chain per endpoint. */
function serviceChains(p: ServicePortEndpoints, i: number): string[] {
  const pick = p.endpoints.map((_, j) => `${j} : goto ep-${i}-${j}`).join(', ');
  const out = [
    `  chain svc-${i} {`,
    `    comment "${p.key}"`,
    `    numgen random mod ${p.endpoints.length} vmap { ${pick} }`,
    '  }',
  ];
  p.endpoints.forEach((e, j) => {
    const to = e.ip.includes(':') ? `[${e.ip}]` : e.ip;
    out.push(`  chain ep-${i}-${j} {`, `    meta l4proto ${p.protocol} dnat to ${to}:${e.port}`, '  }');
  });
  return out;
}

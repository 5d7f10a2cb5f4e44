// What the FAKE kube-proxy (and the FAKE resolver's headless records) know of a Service (pure): for each
// port of each Service with a cluster IP, its ready endpoints — as the EndpointSlice controller would list
// them — each with the port the connection is translated to.
//
// - An endpoint is a pod of the Service's namespace that its selector matches, with an IP, Ready and not
//   terminating (EndpointSlice `ready`; kube-proxy routes to ready endpoints only).
// - targetPort: a number as is; a name resolves per pod against its container ports of that name and
//   protocol, and a pod without one is no endpoint of that port (EndpointSlice controller); absent: `port`.
// - A Service without a selector has endpoints only if someone writes EndpointSlices by hand; the FAKE
//   API server serves none, so here it has none.
import type { V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { compileSelector } from '../../../src/policy/label-selector.js';
import { isReady } from './cluster-snapshot.js';

export type ServiceProtocol = 'tcp' | 'udp' | 'sctp';

export interface Endpoint {
  ip: string;
  port: number;
}

export interface ServicePortEndpoints {
  /** `NS/NAME:PORT/PROTOCOL`, for comments and errors. */
  key: string;
  clusterIP: string;
  protocol: ServiceProtocol;
  port: number;
  endpoints: Endpoint[];
}

/** Whether kube-proxy programs the Service: it has a virtual IP (not headless, not ExternalName). */
export function hasClusterIP(svc: V1Service): boolean {
  const ip = svc.spec?.clusterIP;
  return ip !== undefined && ip !== '' && ip !== 'None' && svc.spec?.type !== 'ExternalName';
}

/** The ready pods a Service's selector picks (none without a selector). */
export function readyPodsOf(svc: V1Service, pods: readonly V1Pod[]): V1Pod[] {
  const selector = svc.spec?.selector;
  if (selector === undefined || Object.keys(selector).length === 0) return [];
  const ns = svc.metadata?.namespace ?? 'default';
  const selects = compileSelector({ matchLabels: selector }, { object: ns, path: 'spec.selector' });
  return pods.filter(
    (p) =>
      p.metadata?.namespace === ns &&
      p.status?.podIP !== undefined &&
      isReady(p) &&
      selects(p.metadata.labels ?? {}),
  );
}

export function servicePortEndpoints(
  services: readonly V1Service[],
  pods: readonly V1Pod[],
): ServicePortEndpoints[] {
  const out: ServicePortEndpoints[] = [];
  for (const svc of services) {
    if (!hasClusterIP(svc)) continue;
    const ready = readyPodsOf(svc, pods);
    const name = `${svc.metadata?.namespace ?? 'default'}/${svc.metadata?.name ?? ''}`;
    // A dual-stack Service has a cluster IP per family; each family's endpoints are the pods' addresses of
    // that family (the EndpointSlice controller writes one slice per family).
    for (const clusterIP of clusterIPsOf(svc)) {
      const v6 = clusterIP.includes(':');
      for (const sp of svc.spec?.ports ?? []) {
        const protocol = (sp.protocol ?? 'TCP').toLowerCase() as ServiceProtocol;
        const endpoints = ready.flatMap((pod) => {
          const port = targetPortOf(sp, pod);
          const ip = podAddresses(pod).find((a) => a.includes(':') === v6);
          return port === undefined || ip === undefined ? [] : [{ ip, port }];
        });
        out.push({ key: `${name}:${sp.port}/${protocol}`, clusterIP, protocol, port: sp.port, endpoints });
      }
    }
  }
  return out;
}

/** status.podIPs, or podIP where a status has only that. */
function podAddresses(pod: V1Pod): string[] {
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip);
  const primary = pod.status?.podIP;
  return ips.length > 0 ? ips : primary === undefined ? [] : [primary];
}

function clusterIPsOf(svc: V1Service): string[] {
  const ips = svc.spec?.clusterIPs ?? [];
  return ips.length > 0 ? ips : [svc.spec?.clusterIP ?? ''];
}

function targetPortOf(sp: V1ServicePort, pod: V1Pod): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = sp.protocol ?? 'TCP';
  for (const c of pod.spec?.containers ?? []) {
    const hit = (c.ports ?? []).find((p) => p.name === target && (p.protocol ?? 'TCP') === protocol);
    if (hit !== undefined) return hit.containerPort;
  }
  return undefined;
}

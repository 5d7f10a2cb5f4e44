// What dual-stack planning reads of the cluster's Services (plan/target-families.ts): each Service's
// addresses, one per family it has.
import type { ClusterObjects } from './predict.js';

/** Each Service's spec.clusterIPs (or its clusterIP), by namespace/name. */
export function serviceIpsOf(services: ClusterObjects['services']): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const svc of services) {
    const spec = (svc as { spec?: { clusterIP?: unknown; clusterIPs?: unknown } }).spec;
    const ips = Array.isArray(spec?.clusterIPs) ? spec.clusterIPs : [spec?.clusterIP];
    const valid = ips.filter((ip): ip is string => typeof ip === 'string' && ip !== '' && ip !== 'None');
    const { name, namespace = 'default' } = svc.metadata;
    if (valid.length > 0) out.set(`${namespace}/${name}`, valid);
  }
  return out;
}

/**
 * The Services that have no cluster IP by design, by namespace/name, with why: headless (`clusterIP:
 * None`) and ExternalName Services (core/v1 ServiceSpec). A flow naming an `ipFamily` for one can never be
 * planned, unlike a Service whose cluster IP is not allocated yet.
 */
export function servicesWithoutClusterIpOf(services: ClusterObjects['services']): Map<string, string> {
  const out = new Map<string, string>();
  for (const svc of services) {
    const spec = (svc as { spec?: { clusterIP?: unknown; type?: unknown } }).spec;
    const why =
      spec?.type === 'ExternalName'
        ? 'an ExternalName Service'
        : spec?.clusterIP === 'None'
          ? 'a headless Service (clusterIP: None)'
          : undefined;
    const { name, namespace = 'default' } = svc.metadata;
    if (why !== undefined) out.set(`${namespace}/${name}`, why);
  }
  return out;
}

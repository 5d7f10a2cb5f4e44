// v1 Service: what explain needs to follow a flow to the pods behind it.
import type { PolicyProtocol } from '../policy/index.js';
import type { Json, Problems } from './narrow.js';

export interface ServicePort {
  name?: string;
  port: number;
  protocol: PolicyProtocol;
  /** A number or a container port name; absent means the same as `port` (API reference). */
  targetPort?: number | string;
}

export interface ServiceInfo {
  namespace: string;
  name: string;
  /** Absent: endpoints are managed by hand (or ExternalName), so the pods behind it are not known. */
  selector?: Record<string, string>;
  ports: ServicePort[];
  type: string;
  externalName?: string;
  clusterIP?: string;
  /**
   * spec.clusterIPs: on a dual-stack Service one address per family, the first equal to clusterIP
   * (API reference, "clusterIPs"). Absent when the Service has none (headless, ExternalName, a manifest).
   */
  clusterIPs?: string[];
}

export function readService(obj: Json, namespace: string, name: string, p: Problems): ServiceInfo {
  const spec = p.record(obj.spec, 'spec') ?? {};
  const svc: ServiceInfo = {
    namespace,
    name,
    ports: [],
    type: p.string(spec.type, 'spec.type') ?? 'ClusterIP',
  };
  if (isNonEmpty(spec.selector)) svc.selector = p.stringMap(spec.selector, 'spec.selector');
  const externalName = p.string(spec.externalName, 'spec.externalName');
  if (externalName !== undefined) svc.externalName = externalName;
  const clusterIP = p.string(spec.clusterIP, 'spec.clusterIP');
  if (clusterIP !== undefined && clusterIP !== 'None') svc.clusterIP = clusterIP;
  const clusterIPs = (p.array(spec.clusterIPs, 'spec.clusterIPs') ?? []).filter(
    (ip): ip is string => typeof ip === 'string' && ip !== 'None',
  );
  if (svc.clusterIP !== undefined && clusterIPs.length > 0) svc.clusterIPs = clusterIPs;
  (p.array(spec.ports, 'spec.ports') ?? []).forEach((v, i) => {
    const path = `spec.ports[${i}]`;
    const r = p.record(v, path) ?? {};
    const port = p.int(r.port, `${path}.port`);
    if (port === undefined) {
      p.add(`${path}.port`, 'is required');
      return;
    }
    const sp: ServicePort = { port, protocol: p.protocol(r.protocol, `${path}.protocol`) ?? 'TCP' };
    const portName = p.string(r.name, `${path}.name`);
    const target = p.intOrString(r.targetPort, `${path}.targetPort`);
    if (portName !== undefined) sp.name = portName;
    if (target !== undefined) sp.targetPort = target;
    svc.ports.push(sp);
  });
  return svc;
}

function isNonEmpty(v: unknown): boolean {
  return typeof v === 'object' && v !== null && Object.keys(v).length > 0;
}

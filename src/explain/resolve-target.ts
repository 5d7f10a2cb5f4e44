// The flow's target as the endpoints a connection would reach, each with the port it arrives on:
// - podSelector: the matching pods/templates of to.namespace (default: the test's namespace);
// - service: the pods its selector matches, on the targetPort of the service port the flow names
//   (a named targetPort resolves per pod; pods without that name get no traffic, as with EndpointSlices);
//   reached by its DNS name, so DNS must work too;
// - host: a cluster service name (`svc.ns.svc[.cluster.local]`) is a service; anything else is outside
//   the cluster with an address nobody knows, and needs DNS;
// - ip: the pod with that status.podIP, a Service's clusterIP, or else an address outside the cluster.
// A Service is followed to its pods because policy sees them, not the clusterIP: kube-proxy translates
// the address before the CNI's policy applies, in the common dataplanes.
import type { Flow } from '../api/types.js';
import type { Endpoint, PolicyProtocol } from '../policy/index.js';
import { describePods, type PodFinder } from './pod-finder.js';
import type { ServiceInfo } from './read-service.js';

export interface TargetEndpoint {
  endpoint: Endpoint;
  port: number;
}

export interface ResolvedTarget {
  /** How the table shows the target, e.g. `svc production/api-backend`. */
  description: string;
  targets: TargetEndpoint[];
  /** The probe reaches it by name: egress to DNS must be allowed for the flow to work. */
  needsDns: boolean;
  notes: string[];
  /** Set when the target cannot be followed to endpoints; the prediction is then Unknown. */
  problem?: string;
}

export interface TargetContext {
  testNamespace: string;
  finder: PodFinder;
  services: ReadonlyMap<string, ServiceInfo>;
  servicesByIp: ReadonlyMap<string, ServiceInfo>;
}

const SERVICE_HOST =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.svc(\.cluster\.local)?\.?$/;

export function resolveTarget(flow: Flow, ctx: TargetContext): ResolvedTarget {
  const to = flow.to;
  const protocol = flow.protocol ?? 'TCP';
  const namespace = to.namespace ?? ctx.testNamespace;
  if (to.service !== undefined) return viaService(namespace, to.service, flow.port, protocol, ctx, true);
  if (to.host !== undefined) {
    const m = SERVICE_HOST.exec(to.host);
    if (m?.[1] !== undefined && m[3] !== undefined)
      return viaService(m[3], m[1], flow.port, protocol, ctx, true);
    return {
      description: to.host,
      targets: [{ endpoint: { kind: 'external', host: to.host }, port: flow.port }],
      needsDns: true,
      notes: [],
    };
  }
  if (to.ip !== undefined) return viaIp(to.ip, flow.port, protocol, ctx);
  const selector = to.podSelector ?? {};
  const description = describePods(namespace, selector);
  const pods = ctx.finder.matching(namespace, selector);
  if (pods.length === 0)
    return unresolved(description, `no pod or workload in ${namespace} matches the target`);
  return {
    description,
    targets: pods.map((endpoint) => ({ endpoint, port: flow.port })),
    needsDns: false,
    notes: [],
  };
}

function viaIp(ip: string, port: number, protocol: PolicyProtocol, ctx: TargetContext): ResolvedTarget {
  const pod = ctx.finder.byIp(ip);
  if (pod !== undefined)
    return {
      description: `${ip} (${pod.namespace}/${pod.name})`,
      targets: [{ endpoint: pod, port }],
      needsDns: false,
      notes: [],
    };
  const svc = ctx.servicesByIp.get(ip);
  if (svc !== undefined)
    return {
      ...viaService(svc.namespace, svc.name, port, protocol, ctx, false),
      description: `${ip} (svc ${svc.namespace}/${svc.name})`,
    };
  return {
    description: ip,
    targets: [{ endpoint: { kind: 'external', ip }, port }],
    needsDns: false,
    notes: [],
  };
}

function viaService(
  namespace: string,
  name: string,
  port: number,
  protocol: PolicyProtocol,
  ctx: TargetContext,
  byName: boolean,
): ResolvedTarget {
  const description = `svc ${namespace}/${name}`;
  const svc = ctx.services.get(`${namespace}/${name}`);
  if (svc === undefined)
    return unresolved(description, `service ${namespace}/${name} is not in the manifests`, byName);
  if (svc.type === 'ExternalName' && svc.externalName !== undefined) {
    return {
      description: `${description} → ${svc.externalName}`,
      targets: [{ endpoint: { kind: 'external', host: svc.externalName }, port }],
      needsDns: true,
      notes: [],
    };
  }
  if (svc.selector === undefined)
    return unresolved(
      description,
      `service ${namespace}/${name} has no selector: the pods behind it are not in the manifests`,
      byName,
    );
  const sp = svc.ports.find((p) => p.port === port && p.protocol === protocol);
  if (sp === undefined) {
    const has = svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none';
    return unresolved(
      description,
      `service ${namespace}/${name} has no port ${port}/${protocol} (it has ${has})`,
      byName,
    );
  }
  const pods = ctx.finder.matching(namespace, { matchLabels: svc.selector });
  if (pods.length === 0)
    return unresolved(description, `service ${namespace}/${name} selects no pod or workload`, byName);
  const targets: TargetEndpoint[] = [];
  const notes: string[] = [];
  for (const pod of pods) {
    const target = sp.targetPort ?? sp.port;
    const found =
      typeof target === 'number'
        ? target
        : pod.ports.find((c) => c.name === target && (c.protocol ?? 'TCP') === protocol)?.containerPort;
    if (found === undefined)
      notes.push(
        `${pod.namespace}/${pod.name} declares no port named ${String(target)}: the service sends it nothing`,
      );
    else targets.push({ endpoint: pod, port: found });
  }
  if (targets.length === 0)
    return {
      ...unresolved(
        description,
        `no pod behind service ${namespace}/${name} declares target port ${String(sp.targetPort)}`,
        byName,
      ),
      notes,
    };
  const first = targets[0];
  const arrow = first !== undefined && first.port !== port ? ` → ${first.port}` : '';
  return { description: `${description}${arrow}`, targets, needsDns: byName, notes };
}

function unresolved(description: string, problem: string, needsDns = false): ResolvedTarget {
  return { description, targets: [], needsDns, notes: [], problem };
}

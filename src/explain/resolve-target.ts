// The flow's target as the endpoints a connection would reach, each with the port it arrives on:
// - podSelector: the matching pods/templates of to.namespace (default: the test's namespace);
// - service: the pods its selector matches, on the targetPort of the service port the flow names
//   (a named targetPort resolves per pod; pods without that name get no traffic, as with EndpointSlices);
//   reached by its DNS name, so DNS must work too;
// - host: a cluster service name (`svc.ns.svc[.cluster.local]`) is a service; anything else is outside
//   the cluster with an address nobody knows, and needs DNS;
// - ip: the pod with that status.podIP, a Service's clusterIP, or else an address outside the cluster.
// A Service is followed to its pods because policy sees them, not the clusterIP: kube-proxy translates
// the address before the CNI's policy applies, in the common dataplanes. Where it is certain that no pod
// can serve the Service (none selected, none declaring the named target port, none ready, the port not on
// the Service), `noEndpoints` says so: kube-proxy rejects such connections before any policy sees them
// (kubernetes pkg/proxy/nftables/proxier.go: `no-endpoint-services`, `cluster-ips-check`; the iptables
// mode's REJECT "... has no endpoints"), and a headless Service then has no DNS record at all.
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
  /** A Service target that certainly has no endpoint a connection could reach, and why. */
  noEndpoints?: string;
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
  const unserved = (why: string) => `service ${namespace}/${name} has no ready endpoints: ${why}`;
  const sp = svc.ports.find((p) => p.port === port && p.protocol === protocol);
  if (sp === undefined) {
    const has = svc.ports.map((p) => `${p.port}/${p.protocol}`).join(', ') || 'none';
    return {
      ...unresolved(
        description,
        `service ${namespace}/${name} has no port ${port}/${protocol} (it has ${has})`,
        byName,
      ),
      noEndpoints: `service ${namespace}/${name} has no port ${port}/${protocol} (it has ${has}), so nothing serves it`,
    };
  }
  const pods = ctx.finder.matching(namespace, { matchLabels: svc.selector });
  if (pods.length === 0)
    return {
      ...unresolved(description, `service ${namespace}/${name} selects no pod or workload`, byName),
      noEndpoints: unserved('no pod or workload matches its selector'),
    };
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
      noEndpoints: unserved(`no pod it selects declares the target port ${String(sp.targetPort)}`),
    };
  const first = targets[0];
  const arrow = first !== undefined && first.port !== port ? ` → ${first.port}` : '';
  const resolved = { description: `${description}${arrow}`, targets, needsDns: byName, notes };
  const idle = idleEndpoints(targets);
  return idle === undefined ? resolved : { ...resolved, noEndpoints: unserved(idle) };
}

/** Why none of a Service's endpoints can serve, when that is certain; undefined when one may. */
function idleEndpoints(targets: readonly TargetEndpoint[]): string | undefined {
  if (targets.some((t) => t.endpoint.kind !== 'pod' || t.endpoint.serving !== false)) return undefined;
  // Templates are named `kind/name` (read-workload.ts); a pod name never holds a slash.
  const pods = targets.filter((t) => t.endpoint.kind === 'pod' && !t.endpoint.name.includes('/')).length;
  if (pods === 0) return 'the workloads it selects are scaled to zero';
  return pods === 1
    ? '1 pod matches its selector and it is not ready'
    : `${pods} pods match its selector and none is ready`;
}

function unresolved(description: string, problem: string, needsDns = false): ResolvedTarget {
  return { description, targets: [], needsDns, notes: [], problem };
}

// From a ConnectivityTest and the live pods to what one run probes (pure): one identity per distinct
// source label set, each with the probes of its flows. A flow that cannot be planned (no running source,
// no running target pod) is not dropped: it is reported, and becomes an Error outcome with that reason.
// Nor is a flow the probe cannot carry (a target the script refuses, labels the API server refuses): it
// becomes that flow's Error, and its siblings still run (DESIGN.md, "Never silent").
import type { ConnectivityTestSpec, Flow, IpFamily } from '../api/types.js';
import { compileSelector } from '../policy/index.js';
import { hostPort, validateProbeSpec, type ProbeSpec } from '../probe/index.js';
import { labelProblem } from './label-problem.js';
import { LABEL_PREFIX } from './labels.js';
import { isUsable, type LivePod } from './live-pod.js';
import { pinKey, planPlacement, type PlacementSlot } from './node-placement.js';
import { chooseFamilies, HOST_IPV6_UNSUPPORTED } from './target-families.js';

export interface PlannedProbe {
  flow: Flow;
  spec: ProbeSpec;
  /** What was probed, as shown in status: `10.244.1.7:8080`, `api.production.svc.cluster.local:8080`. */
  target: string;
  /** The flow's placement: where this probe's pod is pinned (EachNode: one probe per node). */
  slot?: PlacementSlot;
  /** The address family probed, when the flow names one or its target is dual-stack (target-families.ts). */
  ipFamily?: IpFamily;
}

export interface PlannedIdentity {
  /** Short and stable: names the probe pod. */
  name: string;
  labels: Record<string, string>;
  /** The source pod's service account, or the one the flow names; absent: the namespace's default. */
  serviceAccountName?: string;
  probes: PlannedProbe[];
  /** Where the probe pod must run (node affinity); absent: anywhere. */
  slot?: PlacementSlot;
}

/**
 * Why a flow was not planned: `waiting` (no running source or target pod yet: a later run may plan it),
 * or `invalid` (the probe cannot carry it as written: only a spec change helps).
 */
export type UnplannedKind = 'waiting' | 'invalid';

export interface UnplannedFlow {
  flow: Flow;
  reason: string;
  kind: UnplannedKind;
}

export interface RunPlan {
  identities: PlannedIdentity[];
  unplanned: UnplannedFlow[];
}

export interface PlanInput {
  namespace: string;
  /** The spec with defaults applied (timeoutSeconds, protocol). */
  spec: ConnectivityTestSpec;
  pods: readonly LivePod[];
  clusterDomain?: string;
  /** A Service's pod selector (spec.selector), for a Service target's placement; undefined: none. */
  serviceSelector?: (namespace: string, name: string) => Record<string, string> | undefined;
  /** The nodes EachNode probes from (node-placement.ts schedulableNodes); needed only by EachNode. */
  clusterNodes?: readonly string[];
  /** Each Service's `spec.clusterIPs` by `namespace/name`: a dual-stack Service is probed per family. */
  serviceIps?: ReadonlyMap<string, readonly string[]>;
  /** Services with no cluster IP by design (headless, ExternalName) by `namespace/name`, with why. */
  servicesWithoutClusterIp?: ReadonlyMap<string, string>;
}

export function planRun(input: PlanInput): RunPlan {
  const identities = new Map<string, PlannedIdentity>();
  const unplanned: UnplannedFlow[] = [];
  for (const flow of input.spec.flows) {
    const planned = planFlow(flow, input);
    if ('reason' in planned) {
      unplanned.push({ flow, ...planned });
      continue;
    }
    const { labels, serviceAccountName, targets, slots } = planned;
    // A placed dual-stack flow: each family's probe in each slot's pod (one pod per node, both families).
    for (const slot of slots) {
      const key = JSON.stringify([
        Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)),
        serviceAccountName ?? '',
        pinKey(slot?.pin),
      ]);
      let identity = identities.get(key);
      if (!identity) {
        const name = identityName(labels, identities.size);
        identity = {
          name,
          labels,
          ...(serviceAccountName ? { serviceAccountName } : {}),
          probes: [],
          ...(slot ? { slot } : {}),
        };
        identities.set(key, identity);
      }
      for (const target of targets) identity.probes.push({ flow, ...target, ...(slot ? { slot } : {}) });
    }
  }
  return { identities: [...identities.values()], unplanned };
}

type SourceIdentity = Pick<PlannedIdentity, 'labels' | 'serviceAccountName'>;
type NotPlanned = { reason: string; kind: UnplannedKind };
type ProbeTarget = Omit<PlannedProbe, 'flow' | 'slot'>;
type FlowPlan =
  (SourceIdentity & { targets: ProbeTarget[]; slots: (PlacementSlot | undefined)[] }) | NotPlanned;

/** One flow's identity and target; anything that throws is that flow's problem, never the run's. */
function planFlow(flow: Flow, input: PlanInput): FlowPlan {
  try {
    const source = sourceIdentity(flow, input);
    if ('reason' in source) return source;
    const planned = probeTargets(flow, input);
    if ('reason' in planned) return planned;
    const { targets, nodes: podNodes } = planned;
    if (flow.placement === undefined) return { ...source, targets, slots: [undefined] };
    const nodes = flow.to.service ? serviceNodes(flow, input) : podNodes;
    const placed = planPlacement(flow.placement, nodes, input.clusterNodes ?? []);
    if ('reason' in placed)
      return { reason: `cannot place the probe ${flow.placement}: ${placed.reason}`, kind: 'waiting' };
    return { ...source, targets, slots: placed.slots };
  } catch (err) {
    return { reason: err instanceof Error ? err.message : String(err), kind: 'invalid' };
  }
}

/**
 * The labels and service account the probe pod carries, or why there are none. Always from the test's
 * own namespace: copied from a running matching pod, or the flow's explicit labels and account.
 */
function sourceIdentity(flow: Flow, input: PlanInput): SourceIdentity | NotPlanned {
  if (flow.from.labels) {
    const ours = Object.keys(flow.from.labels).find((k) => k.startsWith(LABEL_PREFIX));
    if (ours) return { reason: `label ${ours} is reserved for flowprobe`, kind: 'invalid' };
    const bad = Object.entries(flow.from.labels)
      .map(([k, v]) => labelProblem(k, v))
      .find((p) => p !== undefined);
    if (bad) return { reason: bad, kind: 'invalid' };
    const account = flow.from.serviceAccountName;
    return { labels: { ...flow.from.labels }, ...(account ? { serviceAccountName: account } : {}) };
  }
  const selector = flow.from.podSelector ?? {};
  const match = compileSelector(selector, { object: flow.name, path: 'from.podSelector' });
  const source = runningPods(input.pods, input.namespace).find((p) => match(p.labels));
  if (!source)
    return { reason: `no running pod in ${input.namespace} matches the source selector`, kind: 'waiting' };
  const account = source.serviceAccountName;
  return { labels: { ...source.labels }, ...(account ? { serviceAccountName: account } : {}) };
}

/**
 * The probes of one flow: one, or one per address family (target-families.ts); and the node of a target
 * pod (for its placement).
 */
function probeTargets(
  flow: Flow,
  input: PlanInput,
): { targets: ProbeTarget[]; nodes: string[] } | NotPlanned {
  const to = flow.to;
  const namespace = to.namespace ?? input.namespace;
  let host: string;
  let addresses: string[] = [];
  let what = '';
  const nodes: string[] = [];
  if (to.ip) host = to.ip;
  else if (to.host) {
    if (flow.ipFamily === 'IPv6') return { reason: HOST_IPV6_UNSUPPORTED, kind: 'invalid' };
    host = to.host;
  } else if (to.service) {
    host = `${to.service}.${namespace}.svc.${input.clusterDomain ?? 'cluster.local'}`;
    addresses = [...(input.serviceIps?.get(`${namespace}/${to.service}`) ?? [])];
    what = `service ${namespace}/${to.service}`;
    if (flow.ipFamily !== undefined && addresses.length === 0) {
      const none = input.servicesWithoutClusterIp?.get(`${namespace}/${to.service}`);
      if (none !== undefined)
        return {
          reason: `${what} is ${none}: it has no cluster IP to pick an ${flow.ipFamily} address of; drop ipFamily or target its pods`,
          kind: 'invalid',
        };
      return { reason: `${what} has no cluster IP (yet)`, kind: 'waiting' };
    }
  } else {
    const match = compileSelector(to.podSelector ?? {}, { object: flow.name, path: 'to.podSelector' });
    const pod = runningPods(input.pods, namespace).find((p) => match(p.labels) && p.podIP);
    if (!pod?.podIP)
      return {
        reason: `no running pod with an IP in ${namespace} matches the target selector`,
        kind: 'waiting',
      };
    host = pod.podIP;
    if (pod.nodeName) nodes.push(pod.nodeName);
    addresses = pod.secondIp === undefined ? [pod.podIP] : [pod.podIP, pod.secondIp];
    what = `pod ${namespace}/${pod.name}`;
  }
  if (to.ip || to.host) return { targets: [probeTarget(flow, input, host, flow.ipFamily)], nodes };
  const families = chooseFamilies(flow, what, addresses);
  if ('reason' in families) return families;
  if (families.length === 0) return { targets: [probeTarget(flow, input, host)], nodes };
  return { targets: families.map((f) => probeTarget(flow, input, f.address, f.ipFamily)), nodes };
}

function probeTarget(flow: Flow, input: PlanInput, host: string, ipFamily?: IpFamily): ProbeTarget {
  const spec: ProbeSpec = {
    kind: probeKind(flow),
    host,
    port: flow.port,
    timeoutSeconds: flow.timeoutSeconds ?? input.spec.timeoutSeconds ?? 2,
    ...(flow.http ? { path: flow.http.path ?? '/' } : {}),
    ...(flow.dns ? { name: flow.dns.name } : {}),
  };
  // The CRD admits a few targets the probe script refuses (an IPv6 pod address, path characters the
  // script keeps out of its arguments); InvalidTargetError says which, for this flow alone.
  validateProbeSpec(spec);
  return { spec, target: hostPort(host, flow.port), ...(ipFamily === undefined ? {} : { ipFamily }) };
}

/** The nodes of a Service's running pods: where its endpoints are. */
function serviceNodes(flow: Flow, input: PlanInput): string[] | { reason: string } {
  const namespace = flow.to.namespace ?? input.namespace;
  const name = flow.to.service ?? '';
  const selector = input.serviceSelector?.(namespace, name);
  if (!selector || Object.keys(selector).length === 0)
    return { reason: `Service ${namespace}/${name} is unknown or selects no pods, so its nodes are unknown` };
  const match = compileSelector({ matchLabels: selector }, { object: flow.name, path: 'to.service' });
  const nodes = runningPods(input.pods, namespace)
    .filter((p) => match(p.labels) && p.nodeName)
    .map((p) => p.nodeName ?? '');
  if (nodes.length === 0)
    return { reason: `no running pod of Service ${namespace}/${name} is on a node yet` };
  return nodes;
}

/** A DNS check asks its question over the flow's protocol (TCP by default, as for every flow). */
function probeKind(flow: Flow): ProbeSpec['kind'] {
  if (flow.dns) return flow.protocol === 'UDP' ? 'dns' : 'dnstcp';
  return flow.protocol === 'UDP' ? 'udp' : flow.http ? 'http' : 'tcp';
}

/** Running, usable pods of a namespace, by name: the same cache gives the same choice every run. */
function runningPods(pods: readonly LivePod[], namespace: string): LivePod[] {
  return pods
    .filter((p) => p.namespace === namespace && isUsable(p))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function identityName(labels: Record<string, string>, index: number): string {
  const name = labels['app.kubernetes.io/name'] ?? labels.app ?? `identity-${index + 1}`;
  const clean = name
    .toLowerCase()
    .replace(/[^a-z0-9-]/g, '-')
    .replace(/^-+|-+$/g, '');
  return clean.slice(0, 20) || `identity-${index + 1}`;
}

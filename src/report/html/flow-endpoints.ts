// A declared flow's source identity and destination in words, from its spec alone (a run's results do not
// carry them). The wording follows explain's: `ns/probe{app=x}` for an explicit label set, `ns/{app=x}`
// for pods chosen by selector, `svc ns/name` for a Service.
import type { Flow } from '../../api/types.js';
import { describeSelector } from '../../policy/label-selector.js';

export function describeSource(namespace: string, flow: Flow): string {
  if (flow.from.labels !== undefined)
    return `${namespace}/probe{${describeSelector({ matchLabels: flow.from.labels })}}`;
  return `${namespace}/{${describeSelector(flow.from.podSelector ?? {})}}`;
}

export function describeDestination(namespace: string, flow: Flow): string {
  const to = flow.to;
  if (to.service !== undefined) return `svc ${to.namespace ?? namespace}/${to.service}`;
  if (to.host !== undefined) return to.host;
  if (to.ip !== undefined) return to.ip;
  return `${to.namespace ?? namespace}/{${describeSelector(to.podSelector ?? {})}}`;
}

export function describePort(flow: Flow): string {
  return `${flow.port}/${flow.protocol ?? 'TCP'}`;
}

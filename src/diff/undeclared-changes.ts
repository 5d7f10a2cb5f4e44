// The undeclared half of a diff: among the identities and workloads both sides know, each source identity ×
// destination workload × port whose prediction changed and that no declared flow probes. The ports are
// those the declared flows reach a pod on (on either side; a Service's target port resolved) and the
// destination's own container ports. Only paths the change can have touched are predicted (change-scope.ts).
//
// The list is bounded: at most `max` of each kind of change (opened, closed, uncertain), first in order of
// source, destination, port and protocol; the rest are counted, so a sweeping change cannot print megabytes.
import type { PolicyProtocol } from '../policy/index.js';
import { changeScope, type ChangeScope } from './change-scope.js';
import { pathKey, type DiffSide } from './diff-side.js';
import type { DiffPrediction, PathChange, UndeclaredChange } from './diff-types.js';
import { compare, type IdentityGroup } from './identity-groups.js';
import { predictPath } from './predict-path.js';

export interface UndeclaredResult {
  changes: UndeclaredChange[];
  totals: Record<PathChange, number>;
}

/** `scope`: which paths to predict; tests pass `{ all: true }` to check the narrowed scan against all. */
export function undeclaredChanges(
  base: DiffSide,
  head: DiffSide,
  max: number,
  scope: ChangeScope = changeScope(base, head),
): UndeclaredResult {
  const known = [...head.groups.values()]
    .filter((g) => base.groups.has(g.key))
    .sort((a, b) => compare(a.display, b.display) || compare(a.key, b.key));
  const declaredPorts = [...new Set([...base.declaredPorts, ...head.declaredPorts])];
  const portsByDestination = new Map(
    known.map((to) => [to.key, portsOf(declaredPorts, to, base.groups.get(to.key) as IdentityGroup)]),
  );
  const kept: Record<PathChange, UndeclaredChange[]> = { opened: [], closed: [], uncertain: [] };
  const totals: Record<PathChange, number> = { opened: 0, closed: 0, uncertain: 0 };
  for (const from of known) {
    const wasFrom = base.groups.get(from.key) as IdentityGroup;
    const egressMayDiffer = scope.all || scope.sources.has(from.key);
    for (const to of known) {
      if (!egressMayDiffer && !scope.destinations.has(to.key)) continue;
      const wasTo = base.groups.get(to.key) as IdentityGroup;
      for (const port of portsByDestination.get(to.key) ?? []) {
        const before = predictPath(base, wasFrom, wasTo, port);
        const after = predictPath(head, from, to, port);
        if (before === after) continue;
        const path = pathKey(from.key, to.key, port.key);
        if (head.declaredPaths.has(path) || base.declaredPaths.has(path)) continue;
        const kind = changeKind(before, after);
        totals[kind] += 1;
        if (kept[kind].length < max)
          kept[kind].push({
            from: from.display,
            to: to.display,
            port: port.port,
            protocol: port.protocol,
            before,
            after,
          });
      }
    }
  }
  return { changes: [...kept.opened, ...kept.closed, ...kept.uncertain], totals };
}

export interface PathPort {
  key: string;
  port: number;
  protocol: PolicyProtocol;
}

/** The declared ports and the destination's container ports (on either side), by number then protocol. */
function portsOf(declared: readonly string[], to: IdentityGroup, was: IdentityGroup): PathPort[] {
  const keys = new Set([...declared, ...to.ports, ...was.ports]);
  return [...keys]
    .map((key) => {
      const [port, protocol] = key.split('/');
      return { key, port: Number(port), protocol: protocol as PolicyProtocol };
    })
    .sort((a, b) => a.port - b.port || compare(a.protocol, b.protocol));
}

export function changeKind(before: DiffPrediction, after: DiffPrediction): PathChange {
  if (before === 'Denied' && after === 'Allowed') return 'opened';
  if (before === 'Allowed' && after === 'Denied') return 'closed';
  return 'uncertain';
}

// The undeclared half of a diff: among the identities and workloads both sides know, each source identity ×
// destination workload × port whose prediction changed and that no declared flow probes. The ports are
// those the declared flows reach a pod on (on either side; a Service's target port resolved) and the
// destination's own container ports. Only paths the change can have touched are predicted (change-scope.ts).
//
// The list is bounded: at most `max` of each kind of change (opened, closed, uncertain), first in order of
// source, destination, port and protocol; the rest are counted, so a sweeping change cannot print megabytes.
import type { Prediction } from '../api/types.js';
import type { PolicyProtocol } from '../policy/index.js';
import { changeScope, type ChangeScope } from './change-scope.js';
import { pathKey, type DiffSide } from './diff-side.js';
import type { DiffPrediction, PathChange, UndeclaredChange } from './diff-types.js';
import { compare, type IdentityGroup } from './identity-groups.js';
import { deniedByEgress, pathHalf, predictPath, type SidePath } from './predict-path.js';

export interface UndeclaredResult {
  changes: UndeclaredChange[];
  totals: Record<PathChange, number>;
}

/**
 * `scope`: which paths (and which halves of them) to predict; tests pass `{ all: true }` to check the
 * narrowed scan against predicting everything.
 */
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
    for (const to of known) {
      const [after, before] = [
        { side: head, from, to },
        { side: base, from: wasFrom, to: base.groups.get(to.key) as IdentityGroup },
      ];
      const same = halvesThatCannotDiffer(scope, from.key, to.key);
      if (same.egress && same.ingress) continue;
      for (const port of portsByDestination.get(to.key) ?? []) {
        const change = predictBoth(before, after, port, same);
        if (change === undefined) continue;
        const path = pathKey(from.key, to.key, port.key);
        if (head.declaredPaths.has(path) || base.declaredPaths.has(path)) continue;
        const kind = changeKind(change.before, change.after);
        totals[kind] += 1;
        if (kept[kind].length < max)
          kept[kind].push({
            from: from.display,
            to: to.display,
            port: port.port,
            protocol: port.protocol,
            ...change,
          });
      }
    }
  }
  return { changes: [...kept.opened, ...kept.closed, ...kept.uncertain], totals };
}

interface SameHalves {
  /** The source's egress toward the destination is the same on both sides. */
  egress: boolean;
  /** The destination's ingress from the source is the same on both sides. */
  ingress: boolean;
}

/** Which halves of a path the change cannot reach (change-scope.ts): those are asked once. */
function halvesThatCannotDiffer(scope: ChangeScope, from: string, to: string): SameHalves {
  if (scope.all) return { egress: false, ingress: false };
  return {
    egress: !scope.sources.has(from) && !scope.others.has(to),
    ingress: !scope.destinations.has(to) && !scope.others.has(from),
  };
}

/** The path's prediction before and after, or undefined when it is the same. */
function predictBoth(
  before: SidePath,
  after: SidePath,
  port: PathPort,
  same: SameHalves,
): { before: Prediction; after: Prediction } | undefined {
  const egressAfter = pathHalf(after, port, 'Egress');
  const egressBefore = same.egress ? egressAfter : pathHalf(before, port, 'Egress');
  // Denied on both sides whatever the ingress: most paths of a cluster with default denies.
  if (deniedByEgress(after, egressAfter) && deniedByEgress(before, egressBefore)) return undefined;
  const ingressAfter = pathHalf(after, port, 'Ingress');
  const ingressBefore = same.ingress ? ingressAfter : pathHalf(before, port, 'Ingress');
  const b = predictPath(before, egressBefore, ingressBefore);
  const a = predictPath(after, egressAfter, ingressAfter);
  return a === b ? undefined : { before: b, after: a };
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

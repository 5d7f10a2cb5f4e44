// One undeclared path predicted as explain predicts a flow to a pod: the policy engine's answer, made
// Unknown where a CNI-specific policy may select either end — unless a side no such policy selects denies
// it, since a path must pass both sides (src/explain/out-of-model.ts).
//
// The scan predicts each path on both sides of the diff; its two halves (the source's egress, the
// destination's ingress) are asked separately so that a half the change cannot reach is asked once for
// both sides, and the destination's ingress is not asked at all when the source's egress denies the path
// on both sides (it is Denied whatever the ingress says).
import type { Prediction } from '../api/types.js';
import type { DirectionResult, PolicyType } from '../policy/index.js';
import { triAnd } from '../policy/tri.js';
import type { DiffSide } from './diff-side.js';
import type { IdentityGroup } from './identity-groups.js';
import type { PathPort } from './undeclared-changes.js';

/** A path on one side of the diff: that side's groups for its two ends. */
export interface SidePath {
  side: DiffSide;
  from: IdentityGroup;
  to: IdentityGroup;
}

/** The source's egress or the destination's ingress of the path, on its side. */
export function pathHalf(p: SidePath, port: PathPort, direction: PolicyType): DirectionResult {
  const q = {
    from: p.from.representative,
    to: p.to.representative,
    port: port.port,
    protocol: port.protocol,
  };
  return p.side.engine.decideSide(q, direction);
}

/**
 * Denied by the source's egress alone, whatever the destination's ingress and any CNI-specific policy on
 * the destination: the egress denies and no CNI-specific policy may select the source for egress.
 */
export function deniedByEgress(p: SidePath, egress: DirectionResult): boolean {
  if (egress.decision !== 'no') return false;
  const source = p.from.representative;
  return !p.side.outOfModel.hits(source, source).some((h) => h.side === 'source');
}

/** The path's prediction from its two halves, as explain would give it. */
export function predictPath(p: SidePath, egress: DirectionResult, ingress: DirectionResult): Prediction {
  const both = triAnd(egress.decision, ingress.decision);
  const predicted = both === 'yes' ? 'Allowed' : both === 'no' ? 'Denied' : 'Unknown';
  const hits = p.side.outOfModel.hits(p.from.representative, p.to.representative);
  if (hits.length === 0) return predicted;
  if (predicted !== 'Denied') return 'Unknown';
  const sourceSelected = hits.some((h) => h.side === 'source');
  const destinationSelected = hits.some((h) => h.side === 'destination');
  const stands =
    (egress.decision === 'no' && !sourceSelected) || (ingress.decision === 'no' && !destinationSelected);
  return stands ? 'Denied' : 'Unknown';
}

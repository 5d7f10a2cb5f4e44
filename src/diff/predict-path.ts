// One undeclared path predicted as explain predicts a flow to a pod: the policy engine's answer, made
// Unknown where a CNI-specific policy may select either end — unless a side no such policy selects denies
// it, since a path must pass both sides (src/explain/out-of-model.ts).
import type { Prediction } from '../api/types.js';
import type { DiffSide } from './diff-side.js';
import type { IdentityGroup } from './identity-groups.js';
import type { PathPort } from './undeclared-changes.js';

export function predictPath(
  side: DiffSide,
  from: IdentityGroup,
  to: IdentityGroup,
  port: PathPort,
): Prediction {
  const source = from.representative;
  const target = to.representative;
  const p = side.engine.decide({ from: source, to: target, port: port.port, protocol: port.protocol });
  const hits = side.outOfModel.hits(source, target);
  if (hits.length === 0) return p.predicted;
  if (p.predicted !== 'Denied') return 'Unknown';
  const sourceSelected = hits.some((h) => h.side === 'source');
  const destinationSelected = hits.some((h) => h.side === 'destination');
  const stands =
    (p.egress.decision === 'no' && !sourceSelected) || (p.ingress.decision === 'no' && !destinationSelected);
  return stands ? 'Denied' : 'Unknown';
}

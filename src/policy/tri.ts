// Three-valued logic for decisions that may hinge on an address nobody knows (a pod template's IP, a
// host name's). "unknown" survives only where it could change the answer: `yes OR unknown` is yes,
// `no AND unknown` is no — so a flow is Unknown only when the unknown address actually decides it.

export type Tri = 'yes' | 'no' | 'unknown';

export function triOr(a: Tri, b: Tri): Tri {
  if (a === 'yes' || b === 'yes') return 'yes';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'no';
}

export function triAnd(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  if (a === 'unknown' || b === 'unknown') return 'unknown';
  return 'yes';
}

export function triOf(b: boolean): Tri {
  return b ? 'yes' : 'no';
}

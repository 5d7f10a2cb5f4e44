// The diagnosis of an EachNode flow (pure). Every node's probe carries the same labels, so the same
// policies select it: when some nodes pass and others fail, the difference is on those nodes (a CNI agent
// down or lagging there, a route, a firewall, encapsulation or MTU between nodes), not in the policies.
// That is a likelihood, not a proof, and the sentence says so; with every node agreeing it adds nothing.
import type { Outcome, Verdict } from '../api/types.js';

export interface NodeVerdict {
  node: string;
  verdict: Verdict;
  outcome: Outcome;
}

/**
 * At most this many nodes are named in one list ("and M more"): a node name runs to 253 characters, and
 * the diagnosis, with a family prefix and the worst node's own diagnosis, must stay within the status
 * schema's 4096.
 */
export const MAX_NAMED_NODES = 5;

export function diagnoseNodes(
  nodes: readonly NodeVerdict[],
  worst: { node: string; diagnosis: string },
  sampledFrom?: number,
): string {
  const sample = sampledFrom ? `; probed a sample of ${nodes.length} of ${sampledFrom} nodes` : '';
  const passing = nodes.filter((n) => n.verdict === 'Pass');
  const failing = nodes.filter((n) => n.verdict !== 'Pass');
  if (failing.length === 0) {
    // The nodes are those found running ordinary pods (plan/node-placement.ts schedulableNodes), not
    // every node of the cluster: say so rather than claim all of them.
    const found = sampledFrom ? 'probed' : 'found running ordinary pods';
    const all =
      nodes.length === 1 ? `the only node ${found}, ${names(nodes)}` : `all ${nodes.length} nodes ${found}`;
    return `${worst.diagnosis} (from ${all}${sample})`;
  }
  if (passing.length === 0) return `${worst.diagnosis} (from every node: ${names(nodes)}${sample})`;
  const seen = listed(failing.map((n) => `${n.outcome} from ${n.node}`));
  const which = failing.length === 1 ? 'node' : 'nodes';
  const errorsOnly = failing.every((n) => n.verdict === 'Error');
  const cause = errorsOnly
    ? 'the probe could not run there'
    : 'the policies are the same for every node, so a fault local to that node is likely (its CNI agent, routes or forwarding) — or a policy reached the probe there late';
  return (
    `only probes from ${which} ${names(failing)} fail (${seen}; ${passing.length} other ${passing.length === 1 ? 'node passes' : 'nodes pass'}): ` +
    `${cause}; on ${worst.node}: ${worst.diagnosis}${sample}`
  );
}

function names(nodes: readonly NodeVerdict[]): string {
  return listed(nodes.map((n) => n.node).sort());
}

/** The first MAX_NAMED_NODES items, then how many more. */
export function listed(items: readonly string[]): string {
  if (items.length <= MAX_NAMED_NODES) return items.join(', ');
  return `${items.slice(0, MAX_NAMED_NODES).join(', ')} and ${items.length - MAX_NAMED_NODES} more`;
}

// An EachNode flow's result (pure): one sub-result per node in `nodes`, and the flow's own fields taken
// from its worst node, so that status, metrics and events that read one verdict per flow stay as they
// are. The diagnosis says when the nodes disagree (verdict/node-diagnosis.ts).
import type { FlowResult, NodeResult, Verdict } from '../api/types.js';
import { diagnoseNodes } from '../verdict/index.js';

/** Worst first: an Error hides a fact, a Fail is one, Flaky is doubt, Pass is the goal. */
const RANK: Record<Verdict, number> = { Error: 0, Fail: 1, Flaky: 2, Pass: 3 };

export function eachNodeResult(
  perNode: readonly { node: string; result: FlowResult }[],
  sampledFrom?: number,
): FlowResult {
  const sorted = [...perNode].sort(
    (a, b) => RANK[a.result.verdict] - RANK[b.result.verdict] || a.node.localeCompare(b.node),
  );
  const worst = sorted[0];
  if (worst === undefined) throw new Error('eachNodeResult needs at least one node');
  const nodes: NodeResult[] = [...perNode]
    .sort((a, b) => a.node.localeCompare(b.node))
    .map(({ node, result }) => ({
      node,
      outcome: result.outcome,
      detail: result.detail,
      verdict: result.verdict,
      ...(result.durationMs === undefined ? {} : { durationMs: result.durationMs }),
    }));
  const diagnosis = diagnoseNodes(
    perNode.map(({ node, result }) => ({ node, verdict: result.verdict, outcome: result.outcome })),
    { node: worst.node, diagnosis: worst.result.diagnosis },
    sampledFrom,
  );
  return {
    ...worst.result,
    node: worst.node,
    nodes,
    ...(sampledFrom === undefined ? {} : { nodesSampledFrom: sampledFrom }),
    diagnosis,
  };
}

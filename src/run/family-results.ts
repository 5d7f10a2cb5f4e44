// A flow probed in each address family of a dual-stack target gets one result per family, under one
// status entry (pure): the entry's own fields are those of the family that decides its verdict (the worst:
// Error, then Fail, then Flaky, then Pass; IPv4 first on a tie), its diagnosis names that family, and
// `families` lists every family's result with the address it dialled (`target`). So `kubectl get` and
// the metrics still see one verdict per flow, and the status shows which family failed.
//
// A placed flow (README "Node placement") probed in both families composes the two: each family's result
// names the node of its worst probe (`node`), and an EachNode flow's `nodes` hold one entry per node AND
// family, each tagged with its `ipFamily`, so that no node's failure in one family hides behind the other
// family's pass. The verdict stays the worst of all of them.
import type { ConnectivityTest, FamilyResult, FlowResult, IpFamily, NodeResult } from '../api/types.js';

const RANK: Record<FlowResult['verdict'], number> = { Error: 3, Fail: 2, Flaky: 1, Pass: 0 };

/** One entry from the per-family results of one flow (each with `ipFamily`, in probing order). */
export function mergeFamilies(results: readonly FlowResult[]): FlowResult {
  const ordered = [...results].sort((a, b) => (a.ipFamily ?? '').localeCompare(b.ipFamily ?? ''));
  const [first] = ordered;
  if (first === undefined) throw new RangeError('mergeFamilies needs at least one result');
  if (ordered.length === 1) return first;
  const worst = ordered.reduce((w, r) => (RANK[r.verdict] > RANK[w.verdict] ? r : w), first);
  const { ipFamily, ...rest } = worst;
  const nodes = familyNodes(ordered);
  return {
    ...rest,
    diagnosis: `${ipFamily ?? ''}: ${worst.diagnosis}`,
    ...(nodes.length > 0 ? { nodes } : {}),
    families: ordered.map(familyResult),
  };
}

/** Every family's node entries (EachNode), each tagged with its family, by node then family. */
function familyNodes(results: readonly FlowResult[]): NodeResult[] {
  return results
    .flatMap((r) => (r.nodes ?? []).map((n) => ({ ...n, ...(r.ipFamily ? { ipFamily: r.ipFamily } : {}) })))
    .sort((a, b) => a.node.localeCompare(b.node) || (a.ipFamily ?? '').localeCompare(b.ipFamily ?? ''));
}

function familyResult(r: FlowResult): FamilyResult {
  return {
    ipFamily: r.ipFamily ?? 'IPv4',
    outcome: r.outcome,
    detail: r.detail,
    verdict: r.verdict,
    predicted: r.predicted,
    diagnosis: r.diagnosis,
    ...(r.target === undefined ? {} : { target: r.target }),
    ...(r.httpStatus === undefined ? {} : { httpStatus: r.httpStatus }),
    ...(r.node === undefined ? {} : { node: r.node }),
  };
}

/**
 * The test as the policies see it in one family: only the named flows, each predicted in `family`
 * (explain-flow.ts reads `ipFamily`). Used to predict the families of flows that name none.
 */
export function familyTest<T extends ConnectivityTest>(
  test: T,
  flows: ReadonlySet<string>,
  family: IpFamily,
): T {
  return {
    ...test,
    spec: {
      ...test.spec,
      flows: test.spec.flows.filter((f) => flows.has(f.name)).map((f) => ({ ...f, ipFamily: family })),
    },
  };
}

/** The key of one family's observation of a flow (a flow probed once has only its name). */
export function observationKey(flow: string, family?: IpFamily): string {
  return family === undefined ? flow : `${flow}\0${family}`;
}

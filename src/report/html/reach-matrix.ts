// The reachability matrix of a report: source identities (rows) × destinations (columns), one column per
// declared port of each destination, and in each cell the flows declared for that source, destination and
// port. The model knows nothing of HTML (render-matrix.ts draws it) nor of where the states come from:
// explain fills it with predictions, run with observations, diff with the before and after of a change.

/** A path's state in a cell. `Absent`: the flow or path exists on one side of a diff only. */
export type Reach = 'Allowed' | 'Denied' | 'Unknown' | 'Absent';

export interface MatrixEntry {
  /** The flow or path, as the report's per-flow table names it. */
  label: string;
  /** The fragment of its row in the per-flow table, when it has one (`flow-3`). */
  anchor?: string;
  source: string;
  destination: string;
  /** `8080/TCP`. */
  port: string;
  /** The state the cell shows and is coloured by, and what it is (`predicted`, `observed`, `after`). */
  shown: { what: string; reach: Reach; note?: string };
  /** The other states, shown in smaller text: `expected Allowed`, `predicted Denied`, `before Denied`. */
  also: readonly { what: string; reach: Reach }[];
  /** Why the entry needs a look, in words ("contradicts: expected Denied"); absent when all is well. */
  problem?: string;
}

export interface ReachMatrix {
  sources: readonly string[];
  destinations: readonly { name: string; ports: readonly string[] }[];
  /** The entries of one cell, in the order given; empty where nothing was declared. */
  cell(source: string, destination: string, port: string): readonly MatrixEntry[];
  /** How many entries have a problem. */
  problems: number;
}

export function buildMatrix(entries: readonly MatrixEntry[]): ReachMatrix {
  const cells = new Map<string, MatrixEntry[]>();
  const portsOf = new Map<string, Set<string>>();
  const sources = new Set<string>();
  for (const e of entries) {
    sources.add(e.source);
    let ports = portsOf.get(e.destination);
    if (ports === undefined) portsOf.set(e.destination, (ports = new Set()));
    ports.add(e.port);
    const key = cellKey(e.source, e.destination, e.port);
    const cell = cells.get(key);
    if (cell === undefined) cells.set(key, [e]);
    else cell.push(e);
  }
  return {
    sources: [...sources].sort(byText),
    destinations: [...portsOf]
      .sort(([a], [b]) => byText(a, b))
      .map(([name, ports]) => ({ name, ports: [...ports].sort(byPort) })),
    cell: (source, destination, port) => cells.get(cellKey(source, destination, port)) ?? [],
    problems: entries.filter((e) => e.problem !== undefined).length,
  };
}

/**
 * One matrix per namespace of the sources (the text before a source's first `/`), each with only the
 * destinations its own sources reach: one matrix over a whole cluster is mostly empty cells (10,000 flows
 * of 500 identities would draw over a million), while a namespace's identities share destinations.
 */
export function matricesBySourceNamespace(
  entries: readonly MatrixEntry[],
): { namespace: string; matrix: ReachMatrix }[] {
  const groups = new Map<string, MatrixEntry[]>();
  for (const e of entries) {
    const slash = e.source.indexOf('/');
    const namespace = slash < 0 ? '' : e.source.slice(0, slash);
    const group = groups.get(namespace);
    if (group === undefined) groups.set(namespace, [e]);
    else group.push(e);
  }
  return [...groups]
    .sort(([a], [b]) => byText(a, b))
    .map(([namespace, group]) => ({ namespace, matrix: buildMatrix(group) }));
}

function cellKey(source: string, destination: string, port: string): string {
  return JSON.stringify([source, destination, port]);
}

function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `53/UDP` before `443/TCP`: by number, then protocol. */
function byPort(a: string, b: string): number {
  const [pa = '', qa = ''] = a.split('/');
  const [pb = '', qb = ''] = b.split('/');
  return Number(pa) - Number(pb) || byText(qa, qb);
}

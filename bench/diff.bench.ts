// `npm run bench -- diff`: `flowprobe diff` on two synthetic trees of 5,000 pods, 1,000 NetworkPolicies and
// 10,000 flows each (the explain bench's generator), the head differing in a few policies; then the same
// with a namespace label changed as well; then with a cluster-wide deny over every namespace added, which
// makes every undeclared path a candidate (change-scope.ts).
// Each case runs from objects in memory (the pure path) and from YAML files (as the CLI reads them: a file
// per namespace and kind, each distinct content parsed once). Prints wall and CPU time and the process's
// peak RSS; asserts nothing. Goal: under 4 s (twice explain's 2 s).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';
import { validateConnectivityTest } from '../src/api/validate.js';
import { diffCounts, diffObjects, headline } from '../src/diff/index.js';
import { loadManifests, ParsedFiles, type KubeObject, type SourcedObject } from '../src/manifest/load.js';
import { cluster } from './explain.bench.js';

type Edit = (o: KubeObject) => KubeObject | undefined;

/** The head: `edits` applied by `Kind namespace/name` (undefined deletes the object). */
function changed(base: readonly SourcedObject[], edits: Record<string, Edit>): SourcedObject[] {
  return base.flatMap((s) => {
    const key = `${s.object.kind} ${s.object.metadata?.namespace ?? ''}/${s.object.metadata?.name ?? ''}`;
    const edit = edits[key];
    if (edit === undefined) return [s];
    const object = edit(structuredClone(s.object));
    return object === undefined ? [] : [{ ...s, object }];
  });
}

/** A few policy changes, as a pull request makes them. */
const POLICY_EDITS: Record<string, Edit> = {
  'NetworkPolicy ns-0/allow-dns': () => undefined,
  'NetworkPolicy ns-1/app-3-in': (o) => {
    const spec = o.spec as { ingress: { ports: unknown[] }[] };
    spec.ingress[0]!.ports = [{ port: 'http' }, { port: 'metrics' }];
    return o;
  },
  'NetworkPolicy ns-2/app-5-out': (o) => {
    const spec = o.spec as { egress: { to: unknown[] }[] };
    spec.egress[1]!.to = [{ namespaceSelector: {} }, { podSelector: { matchLabels: { tier: 'back' } } }];
    return o;
  },
  'NetworkPolicy ns-3/default-deny': () => undefined,
};

/** The same, plus a namespace's label: every path may read it. */
const WITH_NAMESPACE_LABEL: Record<string, Edit> = {
  ...POLICY_EDITS,
  'Namespace /ns-4': (o) => ({ ...o, metadata: { ...o.metadata, labels: { team: 't9' } } }),
};

/**
 * The 4 policies, plus a cluster-wide Baseline deny over every namespace: it selects every pod, so every
 * path is a candidate again (the undeclared scan's worst case).
 */
function withBaselineDeny(head: SourcedObject[]): SourcedObject[] {
  const object: KubeObject = {
    apiVersion: 'policy.networking.k8s.io/v1alpha2',
    kind: 'ClusterNetworkPolicy',
    metadata: { name: 'baseline-deny' },
    spec: {
      tier: 'Baseline',
      priority: 0,
      subject: { namespaces: {} },
      ingress: [{ name: 'deny-all', action: 'Deny', from: [{ namespaces: {} }] }],
    },
  };
  return [...head, { file: 'synthetic.yaml', index: head.length, object }];
}

function diffInMemory(name: string, base: SourcedObject[], head: SourcedObject[]): void {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const outcome = diffObjects(base, head, validateConnectivityTest);
  const ms = performance.now() - t0;
  if ('errors' in outcome) throw new Error(outcome.errors[0]?.message);
  report(`${name}, in memory`, ms, cpuSeconds(cpu0), headline(diffCounts(outcome.result)));
}

/**
 * Writes a tree as a repository lays it out: a directory per namespace, a file per kind, so a pull request
 * that changes a few objects changes a few files.
 */
function writeTree(dir: string, objects: readonly SourcedObject[]): number {
  const files = new Map<string, string[]>();
  for (const { object } of objects) {
    const meta = object.metadata ?? {};
    const ns = object.kind === 'Namespace' ? (meta.name ?? '') : (meta.namespace ?? 'default');
    const file = join(ns, `${object.kind.toLowerCase()}.yaml`);
    const docs = files.get(file);
    if (docs === undefined) files.set(file, [stringify(object)]);
    else docs.push(stringify(object));
  }
  for (const [file, docs] of files) {
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    writeFileSync(join(dir, file), docs.join('---\n'));
  }
  return files.size;
}

/** As the CLI reads the two trees: each distinct file content parsed once (ParsedFiles). */
async function diffFromFiles(name: string, base: SourcedObject[], head: SourcedObject[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-diff-bench-'));
  try {
    const files = writeTree(join(dir, 'base'), base);
    writeTree(join(dir, 'head'), head);
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const parsed = new ParsedFiles();
    const objects = [
      await loadManifests([join(dir, 'base')], parsed),
      await loadManifests([join(dir, 'head')], parsed),
    ];
    const read = cpuSeconds(cpu0);
    const outcome = diffObjects(objects[0] ?? [], objects[1] ?? [], validateConnectivityTest);
    const ms = performance.now() - t0;
    if ('errors' in outcome) throw new Error(outcome.errors[0]?.message);
    const line = `${headline(diffCounts(outcome.result))} (${files} files a side, read in ${read.toFixed(2)} s CPU)`;
    report(`${name}, from files`, ms, cpuSeconds(cpu0), line);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU seconds (user + system) since `from`: the machine's load disturbs them less than wall time. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

function report(name: string, ms: number, cpu: number, line: string): void {
  const peak = process.resourceUsage().maxRSS / 1024;
  const wall = (ms / 1000).toFixed(2).padStart(6);
  console.log(
    `${name.padEnd(46)} wall ${wall} s  CPU ${cpu.toFixed(2).padStart(6)} s  peak RSS ${peak.toFixed(0).padStart(5)} MB  | ${line}`,
  );
}

export default async function bench(): Promise<void> {
  const small = cluster(5);
  diffInMemory('warm-up (500 pods)', small, changed(small, POLICY_EDITS));
  const base = cluster(50);
  const pods = base.filter((o) => o.object.kind === 'Pod').length;
  const policies = base.filter((o) => o.object.kind === 'NetworkPolicy').length;
  console.log(
    `two trees of ${pods} pods, ${policies} NetworkPolicies and 10,000 flows each; goal: under 4 s`,
  );
  const head = changed(base, POLICY_EDITS);
  diffInMemory('4 policies changed', base, head);
  const wide = changed(base, WITH_NAMESPACE_LABEL);
  diffInMemory('4 policies and a namespace label', base, wide);
  await diffFromFiles('4 policies changed', base, head);
  await diffFromFiles('4 policies and a namespace label', base, wide);
  // Last: its peak RSS would otherwise stand in the lines after it.
  diffInMemory('4 policies and a cluster-wide deny', base, withBaselineDeny(head));
}

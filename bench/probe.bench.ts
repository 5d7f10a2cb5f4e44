// How long one probe script invocation takes for many dropped targets: the probes of one pod run
// concurrently, so N probes should take about one timeout, not N (DESIGN.md, "Probe pods") — after the
// pod's start-up grace, which it waits once (spec.startupGraceSeconds; the x-timeout figure leaves it out).
// Prints figures, asserts nothing. Needs root (network namespaces) and the busybox of
// scripts/build-busybox.sh (FLOWPROBE_BUSYBOX, else the script's cache).
import { DEFAULT_STARTUP_GRACE_SECONDS } from '../src/api/spec-schema.js';
import { DEFAULT_MAX_ATTEMPTS, settleOptions, type SettleOptions } from '../src/probe/settle.js';
import type { LocalRun } from '../src/probe/run-local.js';
import type { ProbeSpec } from '../src/probe/types.js';
import { DROP_RANGE, NetLab, SERVICE } from '../test/support/netlab/lab.js';
import { findTools } from '../test/support/netlab/prereqs.js';

const PROBES = 50;
const TIMEOUT_S = 2;

export default async function bench(): Promise<void> {
  const tools = findTools();
  if (Array.isArray(tools)) {
    console.log(`skipped: ${tools.join('; ')}`);
    return;
  }
  const lab = await NetLab.create(tools);
  try {
    const specs: ProbeSpec[] = Array.from({ length: PROBES }, (_, i) => ({
      kind: 'tcp',
      host: SERVICE,
      port: DROP_RANGE.first + i,
      timeoutSeconds: TIMEOUT_S,
    }));
    console.log(`${PROBES} probes to dropping targets, timeout ${TIMEOUT_S} s, one script invocation`);
    await measure(lab, specs, 'one attempt each', settleOptions(TIMEOUT_S, 1));
    const grace = DEFAULT_STARTUP_GRACE_SECONDS * 1000;
    await measure(lab, specs, 'default settling', settleOptions(TIMEOUT_S, DEFAULT_MAX_ATTEMPTS, grace));
  } finally {
    await lab.destroy();
  }
}

const RUNS = 3;

/** Runs the same invocation RUNS times (this machine is shared: one run can be unlucky) and prints the median. */
async function measure(lab: NetLab, specs: ProbeSpec[], label: string, settle: SettleOptions): Promise<void> {
  const walls: number[] = [];
  let last: LocalRun | undefined;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    last = await lab.probe('c1', specs, settle);
    walls.push((performance.now() - started) / 1000);
  }
  const results = last?.results ?? [];
  const sorted = [...walls].sort((a, b) => a - b);
  const median = sorted[Math.floor(RUNS / 2)] ?? NaN;
  const graceS = settle.graceMs / 1000;
  const settled = results.filter((r) => r.settled).length;
  const attempts = results.reduce((n, r) => n + r.attempts.length, 0) / results.length;
  console.log(
    `  ${label.padEnd(18)} wall ${median.toFixed(2)} s = ${graceS} s grace + ${((median - graceS) / TIMEOUT_S).toFixed(2)} x timeout` +
      ` (median of ${RUNS}: ${walls.map((w) => w.toFixed(2)).join(', ')} s; goal for one attempt <= 1.3 x);` +
      ` last run: ${count(results.map((r) => r.outcome))}, settled ${settled}/${specs.length},` +
      ` ${attempts.toFixed(1)} attempts per probe`,
  );
}

function count(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
}

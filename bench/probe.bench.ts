// How long one probe script invocation takes for many dropped targets: the probes of one pod run
// concurrently, up to 16 at once, so N probes should take about one timeout per 16, not N (DESIGN.md,
// "Probe pods") — after the pod's start-up grace, which it waits once (spec.startupGraceSeconds; the
// x-timeout figure leaves it out); and what a pod of 100 mixed probes costs in memory and CPU, in a cgroup
// of its own (test/support/netlab/pod-cgroup.ts): without limits, and within the limits its pod gets
// (src/plan/probe-resources.ts).
// Prints figures, asserts nothing. Needs root (network namespaces) and the busybox of
// scripts/build-busybox.sh (FLOWPROBE_BUSYBOX, else the script's cache).
import { DEFAULT_STARTUP_GRACE_SECONDS } from '../src/api/spec-schema.js';
import { MAX_CONCURRENT_PROBES } from '../src/probe/script.js';
import { DEFAULT_MAX_ATTEMPTS, probeWaves, settleOptions, type SettleOptions } from '../src/probe/settle.js';
import type { LocalRun } from '../src/probe/run-local.js';
import type { ProbeSpec } from '../src/probe/types.js';
import { probeResources } from '../src/plan/probe-resources.js';
import { DROP_RANGE, NetLab, SERVICE } from '../test/support/netlab/lab.js';
import { mixedFlows } from '../test/support/netlab/mixed-flows.js';
import { PodCgroup, podLimits, type PodLimits } from '../test/support/netlab/pod-cgroup.js';
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
    await measureResources(lab);
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
  // The script runs MAX_CONCURRENT_PROBES at once: each further wave may wait a whole probe lifetime.
  const waves = probeWaves(specs.length);
  console.log(
    `  ${label.padEnd(18)} wall ${median.toFixed(2)} s = ${graceS} s grace + ${((median - graceS) / TIMEOUT_S / waves).toFixed(2)} x timeout` +
      ` per wave of ${MAX_CONCURRENT_PROBES} (${waves} waves; median of ${RUNS}:` +
      ` ${walls.map((w) => w.toFixed(2)).join(', ')} s; goal for one attempt <= 1.3 x per wave);` +
      ` last run: ${count(results.map((r) => r.outcome))}, settled ${settled}/${specs.length},` +
      ` ${attempts.toFixed(1)} attempts per probe`,
  );
}

function count(values: string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
}

const MIXED = 100;

/** 100 mixed probes (connects, drops, HTTP, names; default settling), once per kind of limits. */
async function measureResources(lab: NetLab): Promise<void> {
  const flows = mixedFlows(MIXED, TIMEOUT_S);
  const resources = probeResources(MIXED).limits;
  console.log(
    `${MIXED} mixed probes (tcp open, refused, dropped, HTTP, names; timeout ${TIMEOUT_S} s), one invocation,` +
      ` in a cgroup of its own`,
  );
  const kinds: [string, PodLimits][] = [
    ['no limits', {}],
    [`pod limits ${resources.memory}/${resources.cpu}`, podLimits(resources)],
  ];
  for (const [label, limits] of kinds) {
    const cgroup = PodCgroup.create(`flowprobe-bench-${process.pid}`, limits);
    if (typeof cgroup === 'string') {
      console.log(`  skipped: ${cgroup}`);
      return;
    }
    try {
      const started = performance.now();
      const run = await lab.probe(
        'c1',
        flows.map((f) => f.spec),
        settleOptions(TIMEOUT_S),
        cgroup,
      );
      const wall = (performance.now() - started) / 1000;
      const f = cgroup.figures();
      const wrong = flows.filter(
        (e, i) => `${e.outcome}/${e.detail}` !== `${run.results[i]?.outcome}/${run.results[i]?.detail}`,
      );
      console.log(
        `  ${label.padEnd(24)} wall ${wall.toFixed(1)} s, peak memory ${f.peakMemoryMiB.toFixed(1)} MiB,` +
          ` CPU ${(f.cpuMs / 1000).toFixed(2)} s (${(f.cpuMs / MIXED).toFixed(0)} ms per probe),` +
          ` throttled ${f.throttledPeriods}/${f.periods} periods (${(f.throttledMs / 1000).toFixed(1)} s),` +
          ` OOM kills ${f.oomKills}, wrong outcomes ${wrong.length}/${MIXED}`,
      );
    } finally {
      await cgroup.remove();
    }
  }
}

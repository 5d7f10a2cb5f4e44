// A cgroup of our own with a probe pod's memory and CPU limits, so that the probe script can run on the
// real-network layer as the kubelet would run it: the memory limit counts what the container's cgroup
// is charged (anonymous memory, kernel stacks, page tables, sockets), an excess is OOM-killed, and the
// CPU limit is a CFS quota per 100 ms period. It also reports what the script used (peak memory, CPU,
// throttled periods, OOM kills), for the benchmark.
//
// It is created as a child of this process's own cgroup (cgroup v2, or the v1 memory, cpu and cpuacct
// hierarchies), never elsewhere, and removed afterwards. Where no such cgroup can be made (not root, a
// read-only /sys/fs/cgroup, controllers not delegated), `PodCgroup.create` returns why.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';

const ROOT = '/sys/fs/cgroup';
const PERIOD_US = 100_000;

/** Absent: no limit (the benchmark's machine-wide figures). */
export interface PodLimits {
  memoryBytes?: number;
  cpuMillis?: number;
}

export interface CgroupFigures {
  peakMemoryMiB: number;
  cpuMs: number;
  periods: number;
  throttledPeriods: number;
  throttledMs: number;
  oomKills: number;
}

/** The Kubernetes quantities of a probe container (`48Mi`, `500m`) as limits. */
export function podLimits(limits: { memory: string; cpu: string }): PodLimits {
  const mi = /^(\d+)Mi$/.exec(limits.memory);
  const milli = /^(\d+)m$/.exec(limits.cpu);
  if (mi === null || milli === null) throw new Error(`unexpected limits ${JSON.stringify(limits)}`);
  return { memoryBytes: Number(mi[1]) * 2 ** 20, cpuMillis: Number(milli[1]) };
}

interface Layout {
  version: 1 | 2;
  /** The directories to create, one per hierarchy (v2: one). */
  dirs: { memory: string; cpu: string; cpuacct: string };
}

/** This process's cgroup in each hierarchy, from /proc/self/cgroup. */
function ownPaths(): Map<string, string> {
  const paths = new Map<string, string>();
  for (const line of readFileSync('/proc/self/cgroup', 'utf8').split('\n')) {
    const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || path === undefined) continue;
    for (const c of controllers === '' ? [''] : controllers.split(',')) paths.set(c, path);
  }
  return paths;
}

function layout(name: string): Layout | string {
  const own = ownPaths();
  if (existsSync(`${ROOT}/cgroup.controllers`)) {
    const dir = `${ROOT}${own.get('') ?? '/'}`.replace(/\/$/, '');
    const available = readFileSync(`${dir}/cgroup.controllers`, 'utf8').split(/\s+/);
    if (!available.includes('memory') || !available.includes('cpu')) {
      return `cgroup v2 at ${dir} does not offer the memory and cpu controllers`;
    }
    const child = `${dir}/${name}`;
    return { version: 2, dirs: { memory: child, cpu: child, cpuacct: child } };
  }
  const dirs: Record<string, string> = {};
  for (const controller of ['memory', 'cpu', 'cpuacct']) {
    const path = own.get(controller);
    // Co-mounted hierarchies (cpu,cpuacct) are reachable under each controller's name as well.
    const mount = `${ROOT}/${controller}`;
    if (path === undefined || !existsSync(`${mount}/cgroup.procs`))
      return `no cgroup v1 ${controller} hierarchy`;
    dirs[controller] = `${mount}${path}`.replace(/\/$/, '') + `/${name}`;
  }
  return { version: 1, dirs: { memory: dirs.memory!, cpu: dirs.cpu!, cpuacct: dirs.cpuacct! } };
}

export class PodCgroup {
  private constructor(private readonly layout: Layout) {}

  /** A fresh cgroup with these limits, or why there can be none here. */
  static create(name: string, limits: PodLimits): PodCgroup | string {
    if (process.getuid?.() !== 0) return 'not root';
    const found = layout(name);
    if (typeof found === 'string') return found;
    const cgroup = new PodCgroup(found);
    try {
      for (const dir of cgroup.uniqueDirs()) mkdirSync(dir);
      cgroup.limit(limits);
      return cgroup;
    } catch (err) {
      cgroup.removeNow();
      return `cannot make a cgroup here: ${(err as Error).message}`;
    }
  }

  private uniqueDirs(): string[] {
    return [...new Set(Object.values(this.layout.dirs))];
  }

  private limit(l: PodLimits): void {
    const { memory, cpu } = this.layout.dirs;
    const v2 = this.layout.version === 2;
    if (l.memoryBytes !== undefined) {
      writeFileSync(`${memory}/${v2 ? 'memory.max' : 'memory.limit_in_bytes'}`, String(l.memoryBytes));
      if (v2 && existsSync(`${memory}/memory.swap.max`)) writeFileSync(`${memory}/memory.swap.max`, '0');
    }
    if (l.cpuMillis !== undefined) {
      const quota = Math.round((l.cpuMillis / 1000) * PERIOD_US);
      if (v2) writeFileSync(`${cpu}/cpu.max`, `${quota} ${PERIOD_US}`);
      else {
        writeFileSync(`${cpu}/cpu.cfs_period_us`, String(PERIOD_US));
        writeFileSync(`${cpu}/cpu.cfs_quota_us`, String(quota));
      }
    }
  }

  /**
   * An argv prefix that moves itself into this cgroup and then runs the rest (`runProbesLocally`'s
   * `prefix`), so the script and everything it forks is charged here. The shell text is a constant;
   * the directories are its arguments.
   */
  prefix(busybox: string): string[] {
    const procs = this.uniqueDirs().map((d) => `${d}/cgroup.procs`);
    return [
      busybox,
      'sh',
      '-c',
      'n=$1; shift; while [ "$n" -gt 0 ]; do echo $$ >"$1" || exit 125; shift; n=$((n - 1)); done; exec "$@"',
      'enter-cgroup',
      String(procs.length),
      ...procs,
    ];
  }

  figures(): CgroupFigures {
    const { memory, cpu, cpuacct } = this.layout.dirs;
    const read = (file: string): string => readFileSync(file, 'utf8');
    const field = (text: string, key: string): number =>
      Number(new RegExp(`^${key} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
    const cpuStat = read(`${cpu}/cpu.stat`);
    if (this.layout.version === 2) {
      return {
        peakMemoryMiB: Number(read(`${memory}/memory.peak`)) / 2 ** 20,
        cpuMs: field(cpuStat, 'usage_usec') / 1000,
        periods: field(cpuStat, 'nr_periods'),
        throttledPeriods: field(cpuStat, 'nr_throttled'),
        throttledMs: field(cpuStat, 'throttled_usec') / 1000,
        oomKills: field(read(`${memory}/memory.events`), 'oom_kill'),
      };
    }
    return {
      peakMemoryMiB: Number(read(`${memory}/memory.max_usage_in_bytes`)) / 2 ** 20,
      cpuMs: Number(read(`${cpuacct}/cpuacct.usage`)) / 1e6,
      periods: field(cpuStat, 'nr_periods'),
      throttledPeriods: field(cpuStat, 'nr_throttled'),
      throttledMs: field(cpuStat, 'throttled_time') / 1e6,
      oomKills: field(read(`${memory}/memory.oom_control`), 'oom_kill'),
    };
  }

  /** Removes the cgroup once its last process has gone (the kernel refuses while any remains). */
  async remove(): Promise<void> {
    for (let i = 0; ; i++) {
      try {
        this.removeNow(true);
        return;
      } catch (err) {
        if (i >= 50) throw err;
        await delay(100);
      }
    }
  }

  private removeNow(strict = false): void {
    for (const dir of this.uniqueDirs()) {
      try {
        if (existsSync(dir)) rmdirSync(dir);
      } catch (err) {
        if (strict) throw err;
      }
    }
  }
}

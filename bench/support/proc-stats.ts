// What Linux says about another process: its CPU time (/proc/PID/stat) and its peak resident set
// (/proc/PID/status). Read from outside, so the figures include everything the process does — its
// event loop, its worker threads (tsx's loader) and its garbage collector — and nothing of ours.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticks: number | undefined;

/** Clock ticks per second, the unit of utime/stime (100 on every common Linux, but ask once). */
function clockTicks(): number {
  if (ticks === undefined) {
    try {
      ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticks = 100;
    }
  }
  return ticks;
}

/** User + system CPU seconds the process has used so far (all threads). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may contain spaces and parentheses: count fields after its last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return (utime + stime) / clockTicks();
}

/** Peak resident set size (VmHWM) in MiB. */
export function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Current resident set size (VmRSS) in MiB. */
export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** `pid` and every process below it (a launcher's node child), from /proc/PID/task/TID/children. */
export function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    const p = out[i] ?? 0;
    try {
      for (const tid of readdirSync(`/proc/${p}/task`)) {
        const kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8').trim();
        if (kids !== '') out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      // The process has gone meanwhile: it has no children to add.
    }
  }
  return out;
}

/** A figure summed over a process tree; processes that have gone count 0. */
export function treeSum(pid: number, figure: (pid: number) => number): number {
  let sum = 0;
  for (const p of processTree(pid)) {
    try {
      sum += figure(p);
    } catch {
      // gone
    }
  }
  return sum;
}

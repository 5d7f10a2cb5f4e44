// The probe container's resources (pure), sized from the number of probes that run at once: the script
// starts at most MAX_CONCURRENT_PROBES together (src/probe/script.ts), so more probes than that need no
// more memory or CPU, only more time.
//
// Measured on the real-network layer (bench/probe.bench.ts; README, "Benchmarks"), in a cgroup like the
// pod's: each probe in flight holds 4-6 busybox processes, about 1.3 MiB of charged memory (kernel
// stacks and page tables included) and spends 10-20 ms of CPU per attempt (HTTP the most). 16 in flight
// peaked at 17-38 MiB; 100 unbounded at 56-98 MiB, which the old fixed 32Mi limit could not hold.
// - memory: 16Mi for the shell and its first processes, 2Mi per probe in flight, never below 32Mi;
// - CPU: 25m per probe in flight plus 100m, never below 200m. A start-up burst of 16 HTTP attempts
//   (~320 ms of CPU) then completes within ~0.65 s, inside the smallest timeout (1 s): a throttled nc or
//   wget whose own timer runs out before it gets the CPU would report a false Blocked.
// Requests stay small: a probe pod lives for seconds, and the limits are what keep it from being killed
// or throttled.
import { MAX_CONCURRENT_PROBES } from '../probe/index.js';

export interface ProbeResources {
  requests: { cpu: string; memory: string };
  limits: { cpu: string; memory: string };
}

/** The probes of one pod that can be in flight together. */
export function probesInFlight(probeCount: number): number {
  return Math.max(1, Math.min(probeCount, MAX_CONCURRENT_PROBES));
}

export function probeResources(probeCount: number): ProbeResources {
  const n = probesInFlight(probeCount);
  const memoryMi = Math.max(32, 16 + 2 * n);
  const cpuMilli = Math.max(200, 100 + 25 * n);
  return {
    requests: { cpu: '10m', memory: '16Mi' },
    limits: { cpu: `${cpuMilli}m`, memory: `${memoryMi}Mi` },
  };
}

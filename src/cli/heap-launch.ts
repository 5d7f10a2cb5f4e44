// The operator's heap, sized from its container's memory limit before any of its code loads. Node reads
// heap flags only at start-up, so main.ts hands over to a new node in the same process (process.execve:
// same pid, same stdio, nothing to forward signals to) started with the flags heap-size.ts computes. It
// reads the limit where Kubernetes puts it: the downward API variable deploy/deployment.yaml sets, the
// process's own cgroup as libuv finds it, and the container's cgroup where runtimes mount it.
import { accessSync, constants, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { heapLaunch, memoryLimitBytes } from './heap-size.js';

/** Set by deploy/deployment.yaml from `resourceFieldRef: {resource: limits.memory}` (bytes). */
export const MEMORY_LIMIT_ENV = 'FLOWPROBE_MEMORY_LIMIT';

/** The container's own cgroup as container runtimes mount it: cgroup v2, then v1's memory hierarchy. */
const CGROUP_LIMIT_FILES = ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes'];

/** Restarts node in place with a sized heap when there is a limit to size it for; else returns. */
export function relaunchWithSizedHeap(): void {
  const limit = memoryLimitBytes({
    downwardApi: process.env[MEMORY_LIMIT_ENV],
    constrained: process.constrainedMemory(),
    cgroupFiles: CGROUP_LIMIT_FILES.map(readIfThere),
    totalMemory: totalmem(),
  });
  const launch = heapLaunch(limit, {
    nodeOptions: process.env.NODE_OPTIONS ?? '',
    execArgv: process.execArgv,
    env: process.env,
  });
  // The relaunched node has --max-old-space-size among its execArgv, so heapLaunch says "nothing to do".
  if (launch === undefined || process.execve === undefined) return;
  const argv = [process.execPath, ...process.execArgv, ...launch.nodeFlags, ...process.argv.slice(1)];
  // On Node 24 a failed execve(2) does not throw: node prints "process.execve failed with error code ..."
  // and aborts (SIGABRT). Only from Node 26 does it throw and leave the process running (nodejs/node#62878).
  // So the likeliest failure, a node binary that cannot be executed, is checked first and only reported;
  // on Node 24 the catch below sees only the arguments node refuses before the system call.
  const unusable = notExecutable(process.execPath);
  if (unusable !== undefined) {
    cannotRelaunch(unusable);
    return;
  }
  try {
    process.execve(process.execPath, argv, { ...process.env, ...launch.env });
  } catch (err) {
    cannotRelaunch(err instanceof Error ? err.message : String(err));
  }
}

/** The operator still runs, with node's default heap, and says why. */
function cannotRelaunch(why: string): void {
  process.stderr.write(`flowprobe: could not restart node with a heap sized to the memory limit: ${why}\n`);
}

function notExecutable(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK);
    return undefined;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

function readIfThere(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

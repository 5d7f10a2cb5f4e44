// How big the operator's V8 heap may grow, from the memory limit of its container (pure; heap-launch.ts
// gathers the inputs and restarts node with the result).
//
// Why not node's own default: Node 24 does size V8's heap from the cgroup limit (it configures V8 with
// min(physical memory, uv_get_constrained_memory())), but V8 never goes below its own floor of about 256 MB
// of old space: under a 256 MiB limit the heap may outgrow the container and the kernel kills the process
// without a word, where a heap limit ends it with "JavaScript heap out of memory". Node 24's
// `--max-old-space-size-percentage` scales with the limit, but the memory outside the heap does not: it is
// roughly constant (the node binary's pages, code, buffers, sockets), so a share that fits 256 MiB wastes
// most of 2 GiB, and one that suits 2 GiB overflows 256 MiB. Hence a fixed headroom plus a share:
//
//   old space (MiB) = max(OLD_SPACE_FLOOR_MIB, limit (MiB) × (1 − HEADROOM_SHARE) − HEADROOM_MIB)
//
// 256 MiB → 128 MiB of old space, 512 MiB → 320, 1 GiB → 704, 2 GiB → 1,472 (bench/operator.bench.ts
// measures the memory outside the heap; the README's "Memory" section has the figures).

const MIB = 2 ** 20;

/** Memory outside the V8 heap that does not grow with the cluster: the node binary, code, buffers, sockets. */
export const HEADROOM_MIB = 64;
/** Memory outside the heap that grows with it (V8's own bookkeeping, malloc'd parser buffers), as a share. */
export const HEADROOM_SHARE = 0.25;
/** Below this, the operator cannot even hold its own code and an empty cache: give it this much and say so. */
export const OLD_SPACE_FLOOR_MIB = 32;

/** The V8 young generation: 1 MiB semi-spaces (V8 sizes them up to 32 MiB each from physical memory). */
export const SEMI_SPACE_MIB = 1;

/** Where a memory limit can come from; any absent or unreadable one is `undefined`. */
export interface MemoryLimitSources {
  /** The downward API's `limits.memory` (resourceFieldRef, divisor 1): bytes, as text. */
  downwardApi?: string | undefined;
  /** process.constrainedMemory(): libuv reads the process's own cgroup (v2 memory.max, v1 limit_in_bytes). */
  constrained?: number | undefined;
  /** The contents of a cgroup limit file: v2 `memory.max` ("max" or bytes), v1 `memory.limit_in_bytes`. */
  cgroupFiles?: readonly (string | undefined)[];
  /** os.totalmem(): a "limit" at or above it limits nothing (cgroup v1 writes 2^63 rounded to a page). */
  totalMemory: number;
}

/** The tightest memory limit the sources name, in bytes, or undefined when none limits anything. */
export function memoryLimitBytes(sources: MemoryLimitSources): number | undefined {
  const candidates = [
    bytesOf(sources.downwardApi),
    sources.constrained,
    ...(sources.cgroupFiles ?? []).map(bytesOf),
  ];
  const limits = candidates.filter(
    (n): n is number => n !== undefined && Number.isFinite(n) && n > 0 && n < sources.totalMemory,
  );
  return limits.length === 0 ? undefined : Math.min(...limits);
}

/** The old-space cap, in MiB, for a container with this memory limit (the formula above). */
export function oldSpaceMiB(limitBytes: number): number {
  const limitMiB = limitBytes / MIB;
  return Math.max(OLD_SPACE_FLOOR_MIB, Math.floor(limitMiB * (1 - HEADROOM_SHARE) - HEADROOM_MIB));
}

/** A limit's text as bytes: whole decimal bytes only ("max", "", "256Mi" and garbage are no limit). */
function bytesOf(text: string | undefined): number | undefined {
  const trimmed = text?.trim();
  if (trimmed === undefined || !/^[0-9]+$/.test(trimmed)) return undefined;
  return Number(trimmed);
}

/** What to start node with: flags before the script, and environment to add. */
export interface HeapLaunch {
  nodeFlags: string[];
  env: Record<string, string>;
}

/**
 * The flags that size the heap for `limitBytes`, or undefined when there is nothing to do: no limit (node's
 * own default stands), or the user sized the heap already (NODE_OPTIONS or node's own flags win, whole: a
 * cap of ours next to their percentage would be a surprise).
 */
export function heapLaunch(
  limitBytes: number | undefined,
  given: {
    nodeOptions: string;
    execArgv: readonly string[];
    env: Readonly<Record<string, string | undefined>>;
  },
): HeapLaunch | undefined {
  if (limitBytes === undefined) return undefined;
  const words = [...given.nodeOptions.split(/\s+/), ...given.execArgv];
  const has = (flag: string) => words.some((w) => flagName(w) === flag);
  if (has('--max-old-space-size') || has('--max-old-space-size-percentage') || has('--max-heap-size'))
    return undefined;
  const nodeFlags = [`--max-old-space-size=${oldSpaceMiB(limitBytes)}`];
  if (!has('--max-semi-space-size')) nodeFlags.push(`--max-semi-space-size=${SEMI_SPACE_MIB}`);
  // One V8 helper thread, and one glibc malloc arena instead of one per thread: each costs memory that no
  // heap limit sees (measured by bench/operator.bench.ts; the operator's work is one event loop anyway).
  if (!has('--v8-pool-size')) nodeFlags.push('--v8-pool-size=1');
  const env: Record<string, string> =
    given.env.MALLOC_ARENA_MAX === undefined ? { MALLOC_ARENA_MAX: '1' } : {};
  return { nodeFlags, env };
}

/** `--max_old_space_size=64` → `--max-old-space-size` (node and V8 accept either spelling). */
function flagName(word: string): string | undefined {
  if (!word.startsWith('--')) return undefined;
  return `--${word.slice(2).split('=')[0]?.replaceAll('_', '-') ?? ''}`;
}

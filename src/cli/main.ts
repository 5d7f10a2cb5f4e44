#!/usr/bin/env node
// The flowprobe command line's entry point. It checks the Node.js version before anything else is loaded:
// on an old Node the client library would crash at import with an unrelated stack trace. The operator's
// heap is sized from its memory limit here, before its code loads (heap-launch.ts). Everything else loads
// on demand: program.ts declares the commands, and each command imports what it needs when it runs.
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EXIT_USAGE } from './exit-codes.js';
import { relaunchWithSizedHeap } from './heap-launch.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(EXIT_USAGE);
}
if (process.argv[2] === 'operator') relaunchWithSizedHeap();
// Node keeps the code it compiles for the modules loaded from here on, so the next run of a command skips
// parsing and compiling them (validate: ~0.08 s of ~0.3 s, bench/startup.bench.ts). Per user, under the
// cache directory the scripts already use; where it cannot be written (a read-only container) Node goes on
// without it. NODE_COMPILE_CACHE chooses another directory, NODE_DISABLE_COMPILE_CACHE=1 turns it off.
// Imported here, after the version check: Node before 22.1 has no enableCompileCache, and a static import
// of it would fail before the check could explain.
const { enableCompileCache } = await import('node:module');
const cacheDir = compileCacheDir();
if (cacheDir !== undefined) enableCompileCache(cacheDir);
await import('./program.js');

/**
 * Under an existing cache directory only (~/.cache or $XDG_CACHE_HOME): Node 24 gets stuck creating a
 * directory below a missing one on /proc or /sys (a $HOME of /proc/nonexistent held a core for minutes).
 */
function compileCacheDir(): string | undefined {
  try {
    const base = process.env.XDG_CACHE_HOME ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
    return statSync(base, { throwIfNoEntry: false })?.isDirectory()
      ? join(base, 'flowprobe', 'compile-cache')
      : undefined;
  } catch {
    return undefined; // no home directory (a user without a passwd entry and no $HOME): no cache
  }
}

#!/usr/bin/env node
// The flowprobe command line's entry point. It checks the Node.js version before anything else is loaded:
// on an old Node the client library would crash at import with an unrelated stack trace. The operator's
// heap is sized from its memory limit here, before its code loads (heap-launch.ts). Everything else loads
// on demand: program.ts declares the commands, and each command imports what it needs when it runs.
import { EXIT_USAGE } from './exit-codes.js';
import { relaunchWithSizedHeap } from './heap-launch.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(EXIT_USAGE);
}
if (process.argv[2] === 'operator') relaunchWithSizedHeap();
await import('./program.js');

#!/usr/bin/env node
// The flowprobe command line's entry point. It checks the Node.js version before anything else is loaded:
// on an old Node the client library would crash at import with an unrelated stack trace.
import { EXIT_USAGE } from './exit-codes.js';
import { nodeVersionProblem } from './node-version.js';

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(EXIT_USAGE);
}
await import('./program.js');

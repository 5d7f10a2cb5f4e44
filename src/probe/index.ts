// The probe engine: the constant script a probe pod runs, the arguments that feed it, and the reading
// of its output. Start at script.ts (the format), then settle.ts (the settling rule) and classify.ts.
export * from './types.js';
export * from './args.js';
export * from './http-path.js';
export * from './dns-name.js';
export * from './command.js';
export * from './settle.js';
export * from './result-line.js';
export * from './classify.js';
export * from './parse-log.js';
export { MAX_CONCURRENT_PROBES, PROBE_SCRIPT, SCRIPT_APPLETS } from './script.js';
export { InvalidTargetError } from './invalid-target-error.js';
export { hostPort } from './host-port.js';

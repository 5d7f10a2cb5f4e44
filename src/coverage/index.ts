// Policy coverage (issue 15): which rules, isolations and workloads the declared flows exercise. Start at
// coverage-report.ts; coverage-types.ts is the JSON contract.
export * from './coverage-types.js';
export * from './coverage-report.js';
export * from './flow-observation.js';
export * from './render-coverage.js';
export * from './pod-workloads.js';
export * from './workload-coverage.js';
export { RuleLedger } from './rule-coverage.js';

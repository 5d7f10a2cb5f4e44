// NetworkPolicy evaluation (pure; knows nothing of probes). Start at engine.ts: PolicyEngine.predict().
export * from './types.js';
export * from './tri.js';
export * from './errors.js';
export * from './cidr.js';
export * from './label-selector.js';
export * from './compile.js';
export * from './port-match.js';
export * from './peer-match.js';
export * from './isolation.js';
export * from './direction.js';
export * from './reasons.js';
export * from './engine.js';
export * from './out-of-model/index.js';

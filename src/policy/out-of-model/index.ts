// CNI-specific policies flowprobe detects but does not evaluate (Cilium, Calico, Antrea). Start at
// detect.ts: OutOfModelIndex.hits() names the objects that may decide a flow.
export * from './types.js';
export * from './calico-selector.js';
export * from './cilium.js';
export * from './calico.js';
export * from './antrea.js';
export * from './detect.js';

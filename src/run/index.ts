// A probe run, shared by the operator and `flowprobe run`. Start at run-test.ts.
export {
  CANNOT_PROBE,
  NOT_PLANNED,
  runTest,
  toLivePod,
  type ClusterReader,
  type RunDeps,
  type RunInput,
} from './run-test.js';
export { PodWaiter, type WaitResult } from './pod-waiter.js';
export { podProgress, type PodProgress } from './pod-progress.js';
export type { ProbePodApi } from './probe-pod-api.js';
export { Predictor, predictFlows, type ClusterObjects } from './predict.js';
export { repredict } from './repredict.js';
export { POD_REJECTED, PROBE_CONTAINER, RUN_STOPPED } from './execute-identity.js';

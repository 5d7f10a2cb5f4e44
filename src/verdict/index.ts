export { judge } from './verdict.js';
export {
  diagnose,
  type ClusterDecider,
  type DiagnosisInput,
  type OutOfModelDecider,
  type PredictionInput,
} from './diagnosis.js';
export { judgeWithoutEndpoints, type Judged, type NoEndpointsInput } from './no-endpoints.js';
export { observedAccess, type Observation } from './observation.js';
export { setCondition, setConditions, type ConditionInput } from './conditions.js';
export { ConditionType, Reason } from './reasons.js';
export {
  statusAfterRun,
  statusForFailedRun,
  statusForInvalidSpec,
  statusForSuspension,
  summarize,
  type CompletedRun,
} from './status.js';
export { diagnoseNodes, type NodeVerdict } from './node-diagnosis.js';

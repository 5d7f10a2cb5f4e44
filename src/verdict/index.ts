export { judge } from './verdict.js';
export { diagnose, type DiagnosisInput, type PredictionInput } from './diagnosis.js';
export { observedAccess, type Observation, type RefusedMeans } from './observation.js';

// What coverage learns from one declared flow: the predictions explain made for it (one per target endpoint,
// and the DNS query a name-based target needs), with both ends of each. explain hands these over as it
// predicts (src/explain/explain-flow.ts); coverage never predicts anything itself.
import type { PolicyPrediction } from '../policy/engine.js';
import type { Endpoint, PodEndpoint } from '../policy/types.js';

export interface PredictedPath {
  from: PodEndpoint;
  to: Endpoint;
  prediction: PolicyPrediction;
}

export interface FlowObservation {
  /** `namespace/test/flow`. */
  flow: string;
  /** The pod (or workload template) the flow's source resolved to; absent when none did. */
  source?: PodEndpoint;
  /** The endpoints its target resolved to. */
  targets: readonly Endpoint[];
  paths: readonly PredictedPath[];
}

export type FlowObserver = (observation: FlowObservation) => void;

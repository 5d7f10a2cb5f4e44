// The messages between the scale benchmark and its FAKE cluster child (scale-server.ts), over Node's IPC.
import type { RequestRecord } from './counting-proxy.js';
import type { Population } from './scale-population.js';

export type ScaleRequest =
  | { type: 'create-tests'; count: number }
  | { type: 'tests-done' }
  | { type: 'request-count' }
  | { type: 'requests'; from: number }
  | { type: 'lapse'; speedup: number }
  | { type: 'stop' };

export type ScaleReply =
  | { type: 'ready'; kubeconfig: string; population: Population; heapUsedMb: number }
  | { type: 'created'; ms: number }
  | { type: 'tests-done'; done: number }
  | { type: 'request-count'; count: number }
  | { type: 'requests'; records: RequestRecord[] }
  | { type: 'ok' }
  | { type: 'error'; message: string };

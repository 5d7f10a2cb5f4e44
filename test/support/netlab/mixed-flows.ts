// One identity's flows as they come in real tests: mostly fast answers (connects, HTTP, a refusal), some
// drops that take the whole timeout, names that resolve and one that does not. Each with the outcome the
// lab gives it, for the pod-limits test and the probe benchmark.
import type { Outcome } from '../../../src/api/types.js';
import type { ProbeSpec } from '../../../src/probe/types.js';
import { DROP_RANGE, MISSING_NAME, NAME, PORT, SERVICE } from './lab.js';

export interface ExpectedFlow {
  spec: ProbeSpec;
  outcome: Outcome;
  detail: string;
}

/** Flow `i` (0-based) of a mix that repeats every 10: 5 connects, 1 refusal, 1 drop, 3 HTTP, 1 NXDOMAIN. */
export function mixedFlow(i: number, timeoutSeconds: number): ExpectedFlow {
  const tcp = (host: string, port: number): ProbeSpec => ({ kind: 'tcp', host, port, timeoutSeconds });
  const http = (host: string, path: string): ProbeSpec => ({
    kind: 'http',
    host,
    port: PORT.http,
    path,
    timeoutSeconds,
  });
  switch (i % 10) {
    case 4:
      return { spec: tcp(SERVICE, PORT.closed), outcome: 'Refused', detail: 'reset-or-port-unreachable' };
    case 5:
      return { spec: tcp(SERVICE, DROP_RANGE.first + (i % 100)), outcome: 'Blocked', detail: 'timeout' };
    case 6:
    case 7:
      return { spec: http(SERVICE, '/200'), outcome: 'Connected', detail: 'http-response' };
    case 8:
      return { spec: http(NAME, '/204'), outcome: 'Connected', detail: 'http-response' };
    case 9:
      return { spec: tcp(MISSING_NAME, PORT.http), outcome: 'DNSFailure', detail: 'nxdomain' };
    default:
      return { spec: tcp(SERVICE, PORT.http), outcome: 'Connected', detail: 'tcp-open' };
  }
}

export function mixedFlows(count: number, timeoutSeconds: number): ExpectedFlow[] {
  return Array.from({ length: count }, (_, i) => mixedFlow(i, timeoutSeconds));
}

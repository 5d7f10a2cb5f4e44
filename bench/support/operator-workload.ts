// The synthetic workload of the operator benchmark: ConnectivityTests of 10 flows from 3 explicit label
// identities to fixed IPs inside the FAKE pod range, and the declared outcome table that answers them.
// Explicit `from.labels` and `to.ip` need no workload pods, so the only pods are the probe pods.
import type { ConnectivityTest, Flow } from '../../src/api/types.js';
import type { OutcomeTable } from '../../test/support/fake-cluster/index.js';

export const FLOWS_PER_TEST = 10;
export const IDENTITIES_PER_TEST = 3;
/** Every DRIFT_EVERY-th test has one flow whose expectation the outcome contradicts (a Fail, an event). */
const DRIFT_EVERY = 10;
const PORT = 8080;

/** Inside POD_CIDR (10.252.0.0/16) but far above the addresses the FAKE IPAM hands to probe pods. */
function targetIp(flow: number): string {
  return `10.252.200.${flow + 1}`;
}

/** Even flows connect, odd flows are dropped: both outcome paths are exercised. */
function connects(flow: number): boolean {
  return flow % 2 === 0;
}

export function outcomeTable(): OutcomeTable {
  const table: Record<string, 'Connected' | 'Blocked'> = {};
  for (let f = 0; f < FLOWS_PER_TEST; f++)
    table[`tcp://${targetIp(f)}:${PORT}`] = connects(f) ? 'Connected' : 'Blocked';
  return table;
}

export function namespaceName(n: number): string {
  return `bench-${String(n).padStart(2, '0')}`;
}

/** Test `t` lives in namespace t mod `namespaces`, so the tests spread evenly. */
export function benchTest(t: number, namespaces: number): ConnectivityTest {
  const flows: Flow[] = Array.from({ length: FLOWS_PER_TEST }, (_, f) => {
    const drift = t % DRIFT_EVERY === 0 && f === FLOWS_PER_TEST - 1;
    const allowed = connects(f) !== drift;
    return {
      name: `flow-${f}`,
      from: { labels: { app: `client-${f % IDENTITIES_PER_TEST}`, bench: 'operator' } },
      to: { ip: targetIp(f) },
      port: PORT,
      expect: allowed ? 'Allowed' : 'Denied',
    };
  });
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: `test-${String(t).padStart(4, '0')}`, namespace: namespaceName(t % namespaces) },
    spec: { timeoutSeconds: 2, flows },
  };
}

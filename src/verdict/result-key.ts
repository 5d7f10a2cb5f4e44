// What names one result among a status's results: the flow, and for a ClusterConnectivityTest the
// namespace it was probed from too (one flow runs in many namespaces there).
import type { FlowResult } from '../api/types.js';

/** `flow`, or `namespace/flow` for a result that names its namespace. */
export function resultKey(result: FlowResult & { namespace?: string }): string {
  return result.namespace === undefined ? result.flow : `${result.namespace}/${result.flow}`;
}

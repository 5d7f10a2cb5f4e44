// A ClusterConnectivityTest as the ConnectivityTests it stands for (pure): one per probed namespace, with
// the same flows, so that planning, probing, prediction and verdicts are the ConnectivityTest's code and
// cannot drift. In each namespace a flow means what a ConnectivityTest there would mean: its `from`
// identity is that namespace's, and podSelector and service targets without a namespace are in it.
import {
  API_VERSION,
  KIND,
  type ClusterConnectivityTest,
  type ConnectivityTest,
  type ConnectivityTestSpec,
} from '../api/types.js';

export function namespacedInstance(test: ClusterConnectivityTest, namespace: string): ConnectivityTest {
  const { namespaceSelector: _selector, maxNamespaces: _max, ...spec } = test.spec;
  const { name, uid, generation, creationTimestamp } = test.metadata;
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: {
      ...(name === undefined ? {} : { name }),
      namespace,
      ...(uid === undefined ? {} : { uid }),
      ...(generation === undefined ? {} : { generation }),
      ...(creationTimestamp === undefined ? {} : { creationTimestamp }),
    },
    spec: spec satisfies ConnectivityTestSpec,
  };
}

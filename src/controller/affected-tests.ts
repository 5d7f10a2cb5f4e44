// Which ConnectivityTests a change of a NetworkPolicy, Service or Namespace may re-predict (pure). Their
// keys go through the work queue, where a reconcile that is not due for a run refreshes `predicted` and
// `diagnosis` from the caches (level-triggered: the event only says "look again"). A NetworkPolicy or a
// Service acts on pods of its own namespace, so it matters to tests whose sources live there (the test's
// namespace), to flows whose targets live there, and to flows to an IP or host name, which may lead to a
// pod anywhere. A namespace's labels feed namespaceSelectors everywhere. The extra policy kinds
// (ClusterNetworkPolicy, AdminNetworkPolicy, Cilium, Calico and Antrea policies) act as a NetworkPolicy does
// when namespaced, and on pods of every namespace when cluster-scoped (namespace '').
import type { TestObject } from '../kube/objects.js';

export type PredictionInputKind = 'NetworkPolicy' | 'Service' | 'Namespace' | 'ExtraPolicy';

export function testsToRepredict(
  kind: PredictionInputKind,
  namespace: string,
  tests: readonly TestObject[],
): TestObject[] {
  if (kind === 'Namespace') return [...tests];
  if (kind === 'ExtraPolicy' && namespace === '') return [...tests];
  return tests.filter((test) => {
    const own = test.metadata.namespace ?? 'default';
    return (
      own === namespace ||
      test.spec.flows.some((f) => (f.to.namespace ?? own) === namespace || f.to.ip || f.to.host)
    );
  });
}

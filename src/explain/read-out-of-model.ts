// Which manifests are CNI-specific policies (by apiVersion group and kind), and reading them into the
// narrow shapes of src/policy/out-of-model. Staged Calico kinds are recognised but only listed: Calico
// reports what they would do without enforcing them. A problem is reported with its field path, and the
// object is still read as broadly as its fields allow: where the operator leaves errors aside, an object
// half understood must still make flows Unknown rather than silently vanish.
import type { OutOfModelPolicy, OutOfModelRef } from '../policy/index.js';
import { readAntrea } from './read-antrea.js';
import { readCalico } from './read-calico.js';
import { readCilium } from './read-cilium.js';
import type { Json, Problems } from './narrow.js';

type Reader = (obj: Json, ref: OutOfModelRef, p: Problems) => OutOfModelPolicy;

export interface KindInfo {
  groups: readonly string[];
  namespaced: boolean;
  /** Absent: staged, reported but not enforced. */
  read?: Reader;
}

const CILIUM = ['cilium.io'];
const CALICO = ['projectcalico.org', 'crd.projectcalico.org'];
const ANTREA = ['crd.antrea.io'];

const KINDS: Record<string, KindInfo[]> = {
  CiliumNetworkPolicy: [{ groups: CILIUM, namespaced: true, read: readCilium }],
  CiliumClusterwideNetworkPolicy: [{ groups: CILIUM, namespaced: false, read: readCilium }],
  NetworkPolicy: [
    { groups: CALICO, namespaced: true, read: readCalico },
    { groups: ANTREA, namespaced: true, read: readAntrea },
  ],
  GlobalNetworkPolicy: [{ groups: CALICO, namespaced: false, read: readCalico }],
  ClusterNetworkPolicy: [{ groups: ANTREA, namespaced: false, read: readAntrea }],
  StagedNetworkPolicy: [{ groups: CALICO, namespaced: true }],
  StagedKubernetesNetworkPolicy: [{ groups: CALICO, namespaced: true }],
  StagedGlobalNetworkPolicy: [{ groups: CALICO, namespaced: false }],
};

export type OutOfModelRead = { policy: OutOfModelPolicy } | { staged: OutOfModelRef } | { mirror: true };

/** The kind's entry when apiVersion+kind is a CNI-specific policy flowprobe knows; else undefined. */
export function outOfModelKind(apiVersion: string, kind: string): KindInfo | undefined {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return KINDS[kind]?.find((k) => k.groups.includes(group));
}

export function readOutOfModel(
  info: KindInfo,
  obj: Json,
  at: { apiVersion: string; kind: string; namespace: string; name: string },
  p: Problems,
): OutOfModelRead {
  const ref: OutOfModelRef = {
    apiVersion: at.apiVersion,
    kind: at.kind,
    ...(info.namespaced ? { namespace: at.namespace } : {}),
    name: at.name,
  };
  // Calico's kube-controllers mirror each Kubernetes NetworkPolicy as a Calico one named knp.default.<name>
  // (kube-controllers/pkg/converter/networkpolicy_converter.go); flowprobe already models the original.
  if (info.read === readCalico && at.kind === 'NetworkPolicy' && at.name.startsWith('knp.default.'))
    return { mirror: true };
  if (info.read === undefined) return { staged: ref };
  return { policy: info.read(obj, ref, p) };
}

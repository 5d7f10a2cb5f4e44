/**
 * Service accounts as kube-apiserver and kube-controller-manager treat them for pods:
 * - the ServiceAccount admission plugin refuses a pod whose service account does not exist, with 403
 *   Forbidden (kubernetes plugin/pkg/admission/serviceaccount/admission.go, `Admit`: "error looking up
 *   service account NS/NAME: serviceaccount "NAME" not found"); the name in the message is the pod's
 *   generateName when it has no name yet (k8s.io/apiserver/pkg/admission/errors.go, `extractResourceName`);
 * - the service-account controller gives every namespace a `default` ServiceAccount
 *   (pkg/controller/serviceaccount/serviceaccounts_controller.go). It does so asynchronously; the admission
 *   plugin retries a missing `default` for about a second, so clients never see the gap. This fake creates
 *   it in the same write as the namespace.
 */
import { fillCreateMeta } from './object-meta.js';
import { forbidden } from './status-errors.js';
import type { Store } from './store.js';
import { isRecord, type KubeObject } from './types.js';

export const SERVICE_ACCOUNTS_KEY = '/serviceaccounts';
export const DEFAULT_SERVICE_ACCOUNT = 'default';

/** Throws the admission plugin's 403 when the pod's service account is missing. */
export function admitPodServiceAccount(store: Store, namespace: string, pod: KubeObject): void {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const name =
    typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : DEFAULT_SERVICE_ACCOUNT;
  if (store.get(SERVICE_ACCOUNTS_KEY, namespace, name)) return;
  const podName = pod.metadata.name || pod.metadata.generateName || '';
  throw forbidden(
    { group: '', resource: 'pods' },
    podName,
    `error looking up service account ${namespace}/${name}: serviceaccount "${name}" not found`,
  );
}

/** Stores the `default` ServiceAccount of a new namespace, as the service-account controller would. */
export function createDefaultServiceAccount(store: Store, namespace: string): void {
  if (store.get(SERVICE_ACCOUNTS_KEY, namespace, DEFAULT_SERVICE_ACCOUNT)) return;
  const sa: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: DEFAULT_SERVICE_ACCOUNT, namespace },
  };
  fillCreateMeta({ generation: false }, sa);
  store.put(SERVICE_ACCOUNTS_KEY, sa, 'ADDED');
}

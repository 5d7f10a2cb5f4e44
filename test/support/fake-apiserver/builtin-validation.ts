/**
 * Built-in objects are checked against Kubernetes' own OpenAPI schemas, as generated into the
 * `kubernetes-models` package, rather than against hand-written rules. Those schemas catch type and
 * required-field errors; kube-apiserver's hand-written validation (pkg/apis/core/validation) goes further
 * (e.g. a container image is required), which this fake does not copy — see README.md.
 */
import type { FieldCause, KubeObject } from './types.js';

interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

interface ModelClass {
  new (data: unknown): { validate(): void };
}

/** kind (by API group) → module exporting the model class of the same name. */
const MODELS: Record<string, string> = {
  '/Namespace': 'kubernetes-models/v1/Namespace',
  '/Pod': 'kubernetes-models/v1/Pod',
  '/Service': 'kubernetes-models/v1/Service',
  '/Event': 'kubernetes-models/v1/Event',
  '/ServiceAccount': 'kubernetes-models/v1/ServiceAccount',
  '/ConfigMap': 'kubernetes-models/v1/ConfigMap',
  'apps/Deployment': 'kubernetes-models/apps/v1/Deployment',
  'apps/StatefulSet': 'kubernetes-models/apps/v1/StatefulSet',
  'apps/DaemonSet': 'kubernetes-models/apps/v1/DaemonSet',
  'apps/ReplicaSet': 'kubernetes-models/apps/v1/ReplicaSet',
  'policy/PodDisruptionBudget': 'kubernetes-models/policy/v1/PodDisruptionBudget',
  'events.k8s.io/Event': 'kubernetes-models/events.k8s.io/v1/Event',
  'networking.k8s.io/NetworkPolicy': 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy',
  'coordination.k8s.io/Lease': 'kubernetes-models/coordination.k8s.io/v1/Lease',
  'rbac.authorization.k8s.io/Role': 'kubernetes-models/rbac.authorization.k8s.io/v1/Role',
  'rbac.authorization.k8s.io/ClusterRole': 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole',
  'rbac.authorization.k8s.io/RoleBinding': 'kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/ClusterRoleBinding':
    'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition':
    'kubernetes-models/apiextensions.k8s.io/v1/CustomResourceDefinition',
};

async function loadModel(group: string, kind: string): Promise<ModelClass | undefined> {
  const specifier = MODELS[`${group}/${kind}`];
  if (specifier === undefined) return undefined;
  const module = (await import(specifier)) as Record<string, ModelClass>;
  return module[kind];
}

/** `/spec/containers/0/ports/0/containerPort` → `spec.containers[0].ports[0].containerPort`. */
export function fieldPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .reduce(
      (acc, token) => (/^\d+$/.test(token) ? `${acc}[${token}]` : acc === '' ? token : `${acc}.${token}`),
      '',
    );
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let cur = obj;
  for (const token of instancePath.split('/').slice(1)) {
    cur = (cur as Record<string, unknown> | undefined)?.[token];
  }
  return cur;
}

function toCause(obj: KubeObject, error: SchemaError): FieldCause {
  if (error.keyword === 'required') {
    const missing = String(error.params.missingProperty);
    const parent = fieldPath(error.instancePath);
    return {
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: parent === '' ? missing : `${parent}.${missing}`,
    };
  }
  const value = JSON.stringify(valueAt(obj, error.instancePath));
  const field = fieldPath(error.instancePath);
  if (error.keyword === 'enum') {
    const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
    return {
      reason: 'FieldValueNotSupported',
      message: `Unsupported value: ${value}: supported values: ${allowed}`,
      field,
    };
  }
  const why =
    error.keyword === 'type'
      ? `must be of type ${String(error.params.type)}`
      : (error.message ?? error.keyword);
  return { reason: 'FieldValueInvalid', message: `Invalid value: ${value}: ${why}`, field };
}

/** One cause per field, the first (a type error hides the enum error at the same place). */
function firstPerField(causes: FieldCause[]): FieldCause[] {
  const seen = new Set<string>();
  return causes.filter((c) => !seen.has(c.field) && seen.add(c.field));
}

/** Validates a built-in object against its Kubernetes schema; returns kube-style causes. */
export async function validateBuiltin(group: string, obj: KubeObject): Promise<FieldCause[]> {
  const Model = await loadModel(group, obj.kind ?? '');
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaError[] }).errors;
    if (!Array.isArray(errors)) throw error;
    return firstPerField(errors.map((e) => toCause(obj, e)));
  }
}

/**
 * ObjectMeta checks kube-apiserver applies to every object (apimachinery/pkg/api/validation/objectmeta.go):
 * label keys and values, owner references (complete, at most one controller). Name rules are in object-meta.ts.
 */
import type { FieldCause, KubeObject } from './types.js';

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function invalid(field: string, value: string, message: string): FieldCause {
  return {
    reason: 'FieldValueInvalid',
    field,
    message: `Invalid value: ${JSON.stringify(value)}: ${message}`,
  };
}

/** Qualified name: optional DNS-subdomain prefix and `/`, then a name part of at most 63 characters. */
function checkLabelKey(key: string): FieldCause[] {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : ['', key];
  const out: FieldCause[] = [];
  if (slash >= 0 && (prefix.length > 253 || !PREFIX.test(prefix)))
    out.push(
      invalid(
        'metadata.labels',
        key,
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
      ),
    );
  if (name.length > 63)
    out.push(invalid('metadata.labels', key, 'name part must be no more than 63 characters'));
  else if (!NAME_PART.test(name)) out.push(invalid('metadata.labels', key, NAME_PART_MSG));
  return out;
}

export function validateLabels(obj: KubeObject): FieldCause[] {
  const out: FieldCause[] = [];
  for (const [key, value] of Object.entries(obj.metadata.labels ?? {})) {
    out.push(...checkLabelKey(key));
    // Non-string values are type errors of the ObjectMeta schema (builtin-validation.ts / the CRD's).
    // apimachinery IsValidLabelValue reports the length and the pattern separately.
    if (typeof value !== 'string') continue;
    if (value.length > 63) out.push(invalid('metadata.labels', value, 'must be no more than 63 characters'));
    if (!LABEL_VALUE.test(value)) out.push(invalid('metadata.labels', value, VALUE_MSG));
  }
  return out;
}

export function validateOwnerReferences(obj: KubeObject): FieldCause[] {
  const refs = obj.metadata.ownerReferences ?? [];
  const out: FieldCause[] = [];
  for (const ref of refs) {
    if (!ref.apiVersion)
      out.push(invalid('metadata.ownerReferences.apiVersion', '', 'version must not be empty'));
    if (!ref.kind) out.push(invalid('metadata.ownerReferences.kind', '', 'kind must not be empty'));
    if (!ref.name) out.push(invalid('metadata.ownerReferences.name', '', 'name must not be empty'));
    if (!ref.uid) out.push(invalid('metadata.ownerReferences.uid', '', 'uid must not be empty'));
  }
  const controllers = refs.filter((r) => r.controller === true);
  if (controllers.length > 1) {
    const names = controllers.map((r) => `${r.kind}/${r.name}`).join(', ');
    out.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.ownerReferences',
      message: `Invalid value: []v1.OwnerReference(nil): Only one reference can have Controller set to true. Found "true" in references for ${names}`,
    });
  }
  return out;
}

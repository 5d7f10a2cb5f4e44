// Label syntax as kube-apiserver checks it on every object (apimachinery pkg/util/validation
// IsQualifiedName and IsValidLabelValue), so that a label set the API server would refuse is found while
// planning — for the one flow whose identity it is — instead of as a 422 on the probe pod that fails the
// whole run. The CRD checks keys with a pattern too, but cannot express the prefix's 253-character limit.

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Why the API server would refuse this label, or undefined when it takes it. */
export function labelProblem(key: string, value: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash >= 0 ? [key.slice(0, slash), key.slice(slash + 1)] : [undefined, key];
  if (prefix !== undefined && (prefix.length > 253 || !PREFIX.test(prefix)))
    return `label key ${key}: the prefix must be a DNS subdomain of at most 253 characters`;
  if (name.length > 63 || !NAME_PART.test(name))
    return `label key ${key}: the name must be at most 63 alphanumerics, '-', '_' or '.'`;
  if (value.length > 63 || !VALUE.test(value))
    return `label ${key}: the value must be at most 63 alphanumerics, '-', '_' or '.'`;
  return undefined;
}

/**
 * ObjectMeta rules that every resource shares (k8s.io/apimachinery/pkg/api/validation/objectmeta.go and
 * apiserver/pkg/registry/rest/create.go): name or generateName, name syntax, server-set system fields.
 */
import { randomUUID } from 'node:crypto';
import type { ResourceDef } from './resources.js';
import type { FieldCause, KubeObject } from './types.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

/** RBAC objects: path segment names, so `system:controller:x` is valid (pkg/apis/rbac/validation). */
const PATH_SEGMENT = /^(?!\.\.?$)[^/%]+$/;
const PATH_SEGMENT_MSG = "may not be '.' or '..' and may not contain '/' or '%'";

/**
 * Which name rule a resource uses: namespaces are labels, services DNS-1035 labels, RBAC objects path
 * segments, the rest subdomains.
 */
function nameRule(def: ResourceDef): { re: RegExp; max: number; msg: string } {
  if (def.group === 'rbac.authorization.k8s.io')
    return { re: PATH_SEGMENT, max: Number.MAX_SAFE_INTEGER, msg: PATH_SEGMENT_MSG };
  if (def.group === '' && def.plural === 'namespaces') return { re: DNS1123_LABEL, max: 63, msg: LABEL_MSG };
  if (def.group === '' && def.plural === 'services') return { re: DNS1035_LABEL, max: 63, msg: DNS1035_MSG };
  return { re: DNS1123_SUBDOMAIN, max: 253, msg: SUBDOMAIN_MSG };
}

export function validateName(def: ResourceDef, obj: KubeObject): FieldCause[] {
  const name = obj.metadata.name ?? '';
  if (name === '') {
    return [
      {
        reason: 'FieldValueRequired',
        field: 'metadata.name',
        message: 'Required value: name or generateName is required',
      },
    ];
  }
  const rule = nameRule(def);
  const causes: FieldCause[] = [];
  if (!rule.re.test(name))
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": ${rule.msg}`,
    });
  if (name.length > rule.max)
    causes.push({
      reason: 'FieldValueInvalid',
      field: 'metadata.name',
      message: `Invalid value: "${name}": must be no more than ${rule.max} characters`,
    });
  return causes;
}

/** names.SimpleNameGenerator: the prefix (cut to 58 characters) plus five random characters. */
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
export function generateName(prefix: string): string {
  let suffix = '';
  for (let i = 0; i < 5; i++) suffix += ALPHABET.charAt(Math.floor(Math.random() * ALPHABET.length));
  return `${prefix.slice(0, 58)}${suffix}`;
}

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** rest.FillObjectMetaSystemFields plus BeforeCreate: uid, creationTimestamp, generation; no deletion state. */
export function fillCreateMeta(def: Pick<ResourceDef, 'generation'>, obj: KubeObject): void {
  const meta = obj.metadata;
  if ((meta.name ?? '') === '' && (meta.generateName ?? '') !== '')
    meta.name = generateName(meta.generateName!);
  meta.uid = randomUUID();
  meta.creationTimestamp = now();
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  if (def.generation) meta.generation = 1;
  else delete meta.generation;
}

/** BeforeUpdate: system fields always come from the stored object. */
export function keepSystemMeta(obj: KubeObject, old: KubeObject): void {
  const meta = obj.metadata;
  meta.uid = old.metadata.uid!;
  meta.creationTimestamp = old.metadata.creationTimestamp!;
  if (old.metadata.deletionTimestamp) meta.deletionTimestamp = old.metadata.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (old.metadata.deletionGracePeriodSeconds !== undefined)
    meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
  if (old.metadata.generation !== undefined) meta.generation = old.metadata.generation;
  else delete meta.generation;
  if (old.metadata.generateName !== undefined) meta.generateName = old.metadata.generateName;
}

/** ValidateObjectMetaUpdate: no new finalizers once deletion has started. */
export function validateFinalizersUpdate(obj: KubeObject, old: KubeObject): FieldCause[] {
  if (!old.metadata.deletionTimestamp) return [];
  const before = new Set(old.metadata.finalizers ?? []);
  const added = (obj.metadata.finalizers ?? []).filter((f) => !before.has(f));
  if (added.length === 0) return [];
  return [
    {
      reason: 'FieldValueForbidden',
      field: 'metadata.finalizers',
      message: 'Forbidden: no new finalizers can be added if the object is being deleted',
    },
  ];
}

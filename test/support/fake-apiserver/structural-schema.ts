/**
 * The OpenAPI v3 subset that CRD structural schemas use, and the two transformations kube-apiserver applies
 * before validating a custom resource: defaulting and pruning of unknown fields
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#field-pruning,
 * #defaulting). Both mutate the object in place.
 */
import { deepCopy, isRecord } from './types.js';

export interface CelRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

export interface Schema {
  type?: string;
  format?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  minProperties?: number;
  maxProperties?: number;
  nullable?: boolean;
  default?: unknown;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-validations'?: CelRule[];
}

/** The schema that applies to `key` of an object, if any (properties first, then additionalProperties). */
export function propertySchema(schema: Schema, key: string): Schema | undefined {
  const prop = schema.properties?.[key];
  if (prop) return prop;
  return isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
}

/** Fills absent (or null, when not nullable) properties that have a `default`, recursively. */
export function applyDefaults(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, prop] of Object.entries(schema.properties ?? {})) {
    const absent = !(key in value) || (value[key] === null && prop.nullable !== true);
    if (absent && prop.default !== undefined) value[key] = deepCopy(prop.default);
  }
  for (const [key, child] of Object.entries(value)) {
    const sub = propertySchema(schema, key);
    if (sub) applyDefaults(sub, child);
  }
}

/** Fields an embedded resource (and the root) keeps without a schema for them. */
const TYPE_META = ['apiVersion', 'kind', 'metadata'];

/**
 * Drops fields the schema does not specify, unless x-kubernetes-preserve-unknown-fields says keep them;
 * returns the paths it dropped (for fieldValidation=Strict).
 */
export function prune(schema: Schema, value: unknown, isRoot = false, path = ''): string[] {
  if (Array.isArray(value)) {
    const items = schema.items;
    return items ? value.flatMap((item, i) => prune(items, item, false, `${path}[${i}]`)) : [];
  }
  if (!isRecord(value)) return [];
  const keepUnknown = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const embedded = isRoot || schema['x-kubernetes-embedded-resource'] === true;
  const dropped: string[] = [];
  for (const key of Object.keys(value)) {
    const sub = propertySchema(schema, key);
    const childPath = path === '' ? key : `${path}.${key}`;
    if (sub) {
      if (!(embedded && key === 'metadata')) dropped.push(...prune(sub, value[key], false, childPath));
    } else if (!(
      keepUnknown ||
      (embedded && TYPE_META.includes(key)) ||
      schema.additionalProperties === true
    )) {
      Reflect.deleteProperty(value, key);
      dropped.push(childPath);
    }
  }
  return dropped;
}

/** Numbers a CEL program sees as `int` where the schema says integer (CEL keeps int and double apart). */
export function toCelValue(schema: Schema | undefined, value: unknown): unknown {
  if (schema === undefined) return value;
  if (typeof value === 'number' && Number.isInteger(value)) {
    const isInt = schema.type === 'integer' || schema['x-kubernetes-int-or-string'] === true;
    return isInt ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => toCelValue(schema.items, item));
  if (isRecord(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, toCelValue(propertySchema(schema, k), v)]),
    );
  }
  return value;
}

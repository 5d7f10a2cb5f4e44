/**
 * Validates a custom resource against its CRD's structural schema with kube-apiserver's messages
 * (k8s.io/kube-openapi/pkg/validation/errors and apiextensions-apiserver/pkg/apiserver/validation):
 * `spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535`.
 */
import { evaluateRules } from './cel-rules.js';
import { propertySchema, type Schema } from './structural-schema.js';
import { isRecord, type FieldCause } from './types.js';

function show(value: unknown): string {
  return value === undefined ? 'null' : JSON.stringify(value);
}

function invalid(path: string, value: unknown, message: string): FieldCause {
  return { reason: 'FieldValueInvalid', field: path, message: `Invalid value: ${show(value)}: ${message}` };
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(schema: Schema, value: unknown): boolean {
  if (value === null) return schema.nullable === true;
  const actual = jsonType(value);
  if (schema['x-kubernetes-int-or-string'] === true) return actual === 'integer' || actual === 'string';
  if (schema.type === undefined) return true;
  return schema.type === actual || (schema.type === 'number' && actual === 'integer');
}

function checkNumber(schema: Schema, value: number, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  const { minimum, maximum } = schema;
  if (maximum !== undefined && (schema.exclusiveMaximum ? value >= maximum : value > maximum)) {
    const rel = schema.exclusiveMaximum ? 'less than' : 'less than or equal to';
    out.push(invalid(path, value, `${path} in body should be ${rel} ${maximum}`));
  }
  if (minimum !== undefined && (schema.exclusiveMinimum ? value <= minimum : value < minimum)) {
    const rel = schema.exclusiveMinimum ? 'greater than' : 'greater than or equal to';
    out.push(invalid(path, value, `${path} in body should be ${rel} ${minimum}`));
  }
  return out;
}

/** go-openapi counts characters as Go runes (code points), not UTF-16 units. */
function runeCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

function checkString(schema: Schema, value: string, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  const length = runeCount(value);
  if (schema.maxLength !== undefined && length > schema.maxLength)
    out.push(invalid(path, value, `${path} in body should be at most ${schema.maxLength} chars long`));
  if (schema.minLength !== undefined && length < schema.minLength)
    out.push(invalid(path, value, `${path} in body should be at least ${schema.minLength} chars long`));
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
    out.push(invalid(path, value, `${path} in body should match '${schema.pattern}'`));
  return out;
}

function checkEnum(schema: Schema, value: unknown, path: string): FieldCause[] {
  if (!schema.enum || schema.enum.some((e) => JSON.stringify(e) === JSON.stringify(value))) return [];
  const supported = schema.enum.map(show).join(', ');
  return [
    {
      reason: 'FieldValueNotSupported',
      field: path,
      message: `Unsupported value: ${show(value)}: supported values: ${supported}`,
    },
  ];
}

function duplicates(schema: Schema, items: unknown[], path: string): FieldCause[] {
  const listType = schema['x-kubernetes-list-type'];
  if (listType !== 'set' && listType !== 'map' && schema.uniqueItems !== true) return [];
  const keys = schema['x-kubernetes-list-map-keys'] ?? [];
  const identity = (item: unknown): string =>
    listType === 'map' && isRecord(item) ? JSON.stringify(keys.map((k) => item[k])) : JSON.stringify(item);
  const seen = new Set<string>();
  const out: FieldCause[] = [];
  items.forEach((item, i) => {
    const id = identity(item);
    if (seen.has(id)) {
      const shown =
        listType === 'map' && isRecord(item) ? Object.fromEntries(keys.map((k) => [k, item[k]])) : item;
      out.push({
        reason: 'FieldValueDuplicate',
        field: `${path}[${i}]`,
        message: `Duplicate value: ${show(shown)}`,
      });
    }
    seen.add(id);
  });
  return out;
}

function checkArray(schema: Schema, value: unknown[], path: string): FieldCause[] {
  const out: FieldCause[] = [];
  if (schema.maxItems !== undefined && value.length > schema.maxItems)
    out.push({
      reason: 'FieldValueTooMany',
      field: path,
      message: `Too many: ${value.length}: must have at most ${schema.maxItems} items`,
    });
  if (schema.minItems !== undefined && value.length < schema.minItems)
    out.push(invalid(path, value.length, `${path} in body should have at least ${schema.minItems} items`));
  return [...out, ...duplicates(schema, value, path)];
}

function checkRequired(schema: Schema, value: Record<string, unknown>, path: string): FieldCause[] {
  return (schema.required ?? [])
    .filter((key) => value[key] === undefined)
    .map((key) => ({ reason: 'FieldValueRequired', field: child(path, key), message: 'Required value' }));
}

function child(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Correlates list items with the old list for transition rules: only by list-map keys, as kube does. */
function oldItem(schema: Schema, item: unknown, old: unknown): unknown {
  const keys = schema['x-kubernetes-list-map-keys'];
  if (schema['x-kubernetes-list-type'] !== 'map' || !keys || !Array.isArray(old) || !isRecord(item))
    return undefined;
  return old.find((o) => isRecord(o) && keys.every((k) => o[k] === item[k]));
}

function validateChildren(schema: Schema, value: unknown, old: unknown, path: string): FieldCause[] {
  if (Array.isArray(value)) {
    const items = schema.items;
    if (!items) return [];
    return value.flatMap((item, i) =>
      validateValue(items, item, oldItem(schema, item, old), `${path}[${i}]`),
    );
  }
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const sub = propertySchema(schema, key);
    if (!sub) return [];
    const oldV = isRecord(old) ? old[key] : undefined;
    const subPath = schema.properties?.[key] ? child(path, key) : `${path}[${key}]`;
    return validateValue(sub, v, oldV, subPath);
  });
}

function checkCombinators(schema: Schema, value: unknown, path: string): FieldCause[] {
  const out: FieldCause[] = [];
  for (const sub of schema.allOf ?? []) out.push(...validateValue(sub, value, undefined, path));
  const passes = (s: Schema): boolean => validateValue(s, value, undefined, path).length === 0;
  if (schema.anyOf && !schema.anyOf.some(passes))
    out.push(invalid(path, value, `${path} in body must match at least one schema in anyOf`));
  if (schema.oneOf && schema.oneOf.filter(passes).length !== 1)
    out.push(invalid(path, value, `${path} in body must match exactly one schema in oneOf`));
  if (schema.not && passes(schema.not))
    out.push(invalid(path, value, `${path} in body should not match the schema in not`));
  return out;
}

/** Validates `value` at `path`; `old` is the correlated old value (update) for transition rules. */
export function validateValue(schema: Schema, value: unknown, old: unknown, path: string): FieldCause[] {
  if (!typeMatches(schema, value)) {
    const expected =
      schema['x-kubernetes-int-or-string'] === true ? 'integer or string' : (schema.type ?? '');
    return [
      invalid(path, jsonType(value), `${path} in body must be of type ${expected}: ${show(jsonType(value))}`),
    ];
  }
  if (value === null) return [];
  const out = [...checkEnum(schema, value, path), ...checkCombinators(schema, value, path)];
  if (typeof value === 'number') out.push(...checkNumber(schema, value, path));
  if (typeof value === 'string') out.push(...checkString(schema, value, path));
  if (Array.isArray(value)) out.push(...checkArray(schema, value, path));
  if (isRecord(value)) out.push(...checkRequired(schema, value, path));
  out.push(...validateChildren(schema, value, old, path));
  // kube evaluates CEL rules only on values that passed their own schema checks (no rule on a broken node).
  if (out.length === 0) out.push(...evaluateRules(schema, value, old, path));
  return out;
}

/**
 * Validates a whole custom resource; `metadata` is checked by the generic object-meta rules instead. A
 * stored object always has metadata, so a schema that lists it as `required` (controller-gen writes
 * `required: [metadata, spec]` for ClusterNetworkPolicy, network-policy-api v0.2.0) is satisfied, as
 * kube-apiserver validates the object with its metadata (apiextensions-apiserver
 * pkg/registry/customresource/validator.go).
 */
export function validateCustomResource(schema: Schema, obj: unknown, old: unknown): FieldCause[] {
  if (!isRecord(obj)) return [invalid('', obj, 'must be an object')];
  const { metadata: _m, ...rest } = obj;
  const oldRest = isRecord(old) ? { ...old, metadata: undefined } : undefined;
  const rootSchema: Schema = { ...schema, properties: { ...schema.properties } };
  delete rootSchema.properties?.metadata;
  // A root `required: [metadata, ...]` (network-policy-api's CRDs have one) is met: every object has it.
  if (schema.required !== undefined) rootSchema.required = schema.required.filter((f) => f !== 'metadata');
  return validateValue(rootSchema, rest, oldRest, '');
}

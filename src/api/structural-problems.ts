// Structural checks (types, enums, patterns, ranges, unknown fields) by ajv, compiled from the same schema
// as the CRD, with ajv's errors turned into paths and sentences a manifest's author can act on.
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { toJsonSchema } from './json-schema.js';
import { MANIFEST_SCHEMA } from './object-schema.js';
import { NAME_FORMATS } from './patterns.js';
import { fieldPath, indexPath, type Problem } from './problem.js';
import type { SchemaNode } from './schema-node.js';

/** A structural problem, with the JSON pointer that locates it (for deciding which CEL rules to skip). */
export interface StructuralProblem extends Problem {
  pointer: string;
  /** Type, enum and missing-field errors stop the API server from evaluating CEL rules on the object. */
  blocking: boolean;
}

// ajv-formats is CommonJS; under NodeNext its default import is `module.exports`, whose `default` is the plugin.
const addFormats = addFormatsPlugin.default;

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
addFormats(ajv, ['ipv4', 'ipv6', 'date-time']);

/** The structural checker of one manifest schema (compiled once per schema). */
export function structuralChecker(schema: SchemaNode): (object: unknown) => StructuralProblem[] {
  const check = ajv.compile(toJsonSchema(schema));
  return (object) => {
    if (check(object)) return [];
    return (check.errors ?? [])
      .filter((e) => !e.schemaPath.includes('/anyOf/'))
      .map((e) => toProblem(object, e));
  };
}

export const structuralProblems = structuralChecker(MANIFEST_SCHEMA);

function toProblem(root: unknown, error: ErrorObject): StructuralProblem {
  const path = pointerToPath(root, error.instancePath);
  const blocking = ['type', 'enum', 'required'].includes(error.keyword);
  const child = childField(error);
  if (child !== undefined) {
    return {
      path: fieldPath(path, child),
      pointer: `${error.instancePath}/${child}`,
      message: message(error),
      blocking,
    };
  }
  return { path, pointer: error.instancePath, message: message(error), blocking };
}

/** required and additionalProperties report on the parent; the user needs the field's own path. */
function childField(error: ErrorObject): string | undefined {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  return params.missingProperty ?? params.additionalProperty;
}

/** `/spec/flows/2/to` → `spec.flows[2].to`, deciding index or key by what the document holds there. */
export function pointerToPath(root: unknown, pointer: string): string {
  let path = '';
  let value = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    path = Array.isArray(value) ? indexPath(path, Number(key)) : fieldPath(path, key);
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return path;
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  object: 'a mapping',
  array: 'a list',
};

const FORMAT_NAMES: Record<string, string> = {
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  'date-time': 'an RFC 3339 time',
};

function message(error: ErrorObject): string {
  const schema = error.parentSchema;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'type':
      return `must be ${TYPE_NAMES[String(params.type)] ?? String(params.type)}`;
    case 'enum':
      return enumMessage(params.allowedValues as unknown[]);
    case 'minimum':
    case 'maximum':
      return rangeMessage(schema);
    case 'pattern':
      return patternMessage(String(params.pattern));
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    case 'minItems':
      return `must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must list at most ${String(params.limit)} items`;
    case 'maxProperties':
      return `must have at most ${String(params.limit)} entries`;
    case 'format':
      return `must be ${FORMAT_NAMES[String(params.format)] ?? String(params.format)}`;
    case 'anyOf':
      return anyOfMessage(schema);
    default:
      return error.message ?? `fails ${error.keyword}`;
  }
}

function enumMessage(allowed: unknown[]): string {
  const names = allowed.map(String);
  return names.length === 1 ? `must be ${names[0] ?? ''}` : `must be one of: ${names.join(', ')}`;
}

function rangeMessage(schema: Record<string, unknown> | undefined): string {
  const min = schema?.minimum;
  const max = schema?.maximum;
  if (typeof min === 'number' && typeof max === 'number') return `must be ${min}..${max}`;
  return typeof min === 'number' ? `must be at least ${min}` : `must be at most ${String(max)}`;
}

function patternMessage(pattern: string): string {
  const format = NAME_FORMATS.find((f) => f.pattern === pattern);
  return format ? `must be ${format.description}` : `must match ${pattern}`;
}

function anyOfMessage(schema: Record<string, unknown> | undefined): string {
  const branches = (schema?.anyOf ?? []) as { format?: string }[];
  const names = branches.map((b) => FORMAT_NAMES[b.format ?? ''] ?? String(b.format));
  return `must be ${names.join(' or ')}`;
}

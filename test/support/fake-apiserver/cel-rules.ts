/**
 * x-kubernetes-validations: CEL rules evaluated with @marcbachmann/cel-js, with `self` bound to the value at
 * the rule's node and `oldSelf` to the previous value on update. A rule that uses `oldSelf` is a transition
 * rule: kube-apiserver only evaluates it when there is an old value to compare with
 * (https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#transition-rules).
 *
 * cel-js implements standard CEL, not Kubernetes' CEL libraries (isURL, quantity, ip, cidr, format, ...) nor
 * optional syntax (`self.?x`). A rule it cannot parse or that calls an unknown function is skipped, not
 * failed — a false 422 would be worse than a rule unchecked — and listed by `unsupportedCelRules()`.
 */
import { parse } from '@marcbachmann/cel-js';
import { toCelValue, type CelRule, type Schema } from './structural-schema.js';
import type { FieldCause } from './types.js';

type Program = ReturnType<typeof parse>;
const programs = new Map<string, Program>();

function compile(rule: string): Program {
  let program = programs.get(rule);
  if (!program) {
    program = parse(rule);
    programs.set(rule, program);
  }
  return program;
}

const unsupported = new Set<string>();

/** Rules skipped so far because cel-js lacks what they use (all servers in this process). */
export function unsupportedCelRules(): string[] {
  return [...unsupported];
}

/** A parse error, or a function cel-js does not know: a gap of the evaluator, not a broken object. */
function isUnsupported(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (
    error.name === 'ParseError' ||
    /no matching overload|unknown function|Unknown function/.test(error.message)
  );
}

function usesOldSelf(rule: string): boolean {
  return /\boldSelf\b/.test(rule);
}

/** kube prints the schema type as the "value" of a failed rule: `Invalid value: "object": ...`. */
function typeName(schema: Schema): string {
  return schema.type ?? (schema['x-kubernetes-int-or-string'] === true ? 'integer' : 'object');
}

const REASONS: Record<string, string> = {
  FieldValueRequired: 'Required value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
};

function failure(schema: Schema, rule: CelRule, path: string, message: string): FieldCause {
  const reason = rule.reason ?? 'FieldValueInvalid';
  const field = rule.fieldPath ? `${path}${rule.fieldPath}` : path;
  const prefix = REASONS[reason] ?? `Invalid value: "${typeName(schema)}"`;
  return { reason, field, message: `${prefix}: ${message}` };
}

function messageFor(rule: CelRule, vars: Record<string, unknown>): string {
  if (rule.messageExpression) {
    try {
      const text: unknown = compile(rule.messageExpression)(vars);
      if (typeof text === 'string' && text !== '') return text;
    } catch {
      // kube falls back to `message` (or the rule) when messageExpression fails.
    }
  }
  return rule.message ?? `failed rule: ${rule.rule}`;
}

/** Evaluates the rules of one schema node; `old` is undefined on create or when no old value correlates. */
export function evaluateRules(schema: Schema, value: unknown, old: unknown, path: string): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const rule of schema['x-kubernetes-validations'] ?? []) {
    if (usesOldSelf(rule.rule) && old === undefined && rule.optionalOldSelf !== true) continue;
    const vars: Record<string, unknown> = { self: toCelValue(schema, value) };
    if (old !== undefined) vars.oldSelf = toCelValue(schema, old);
    try {
      if (compile(rule.rule)(vars) !== true) causes.push(failure(schema, rule, path, messageFor(rule, vars)));
    } catch (error) {
      if (isUnsupported(error)) unsupported.add(rule.rule);
      else causes.push(failure(schema, rule, path, `rule evaluation error: ${(error as Error).message}`));
    }
  }
  return causes;
}

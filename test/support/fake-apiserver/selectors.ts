/**
 * Label and field selectors, parsed as kube-apiserver parses them
 * (k8s.io/apimachinery/pkg/labels/selector.go and pkg/fields/selector.go). Parse errors are 400 BadRequest.
 */
import { badRequest } from './status-errors.js';
import { isRecord, type KubeObject } from './types.js';

type LabelOp = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';

interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}

export type LabelSelector = LabelRequirement[];

/** kube's qualified name: optional DNS-subdomain prefix, then a name of at most 63 characters. */
const QUALIFIED_NAME =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function fail(text: string, why: string): never {
  throw badRequest(`unable to parse requirement: ${why}`.concat(text === '' ? '' : ` in "${text}"`));
}

/** Splits at commas that are not inside `( )` — the set syntax of `in` and `notin`. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

function checkKey(key: string, text: string): string {
  if (key.length > 316 || !QUALIFIED_NAME.test(key)) fail(text, `invalid label key "${key}"`);
  return key;
}

function checkValue(value: string, text: string): string {
  if (value.length > 63 || !LABEL_VALUE.test(value)) fail(text, `invalid label value: "${value}"`);
  return value;
}

function parseSet(key: string, op: 'in' | 'notin', rest: string, text: string): LabelRequirement {
  const match = /^\((.*)\)$/.exec(rest.trim());
  if (!match) fail(text, `expected "(" after "${op}"`);
  const inner = match[1]!.trim();
  // NewRequirement: "for 'in', 'notin' operators, values set can't be empty".
  if (inner === '') fail(text, "for 'in', 'notin' operators, values set can't be empty");
  const values = inner.split(',').map((v) => checkValue(v.trim(), text));
  return { key: checkKey(key, text), op, values };
}

function parseRequirement(text: string): LabelRequirement {
  if (text.startsWith('!')) return { key: checkKey(text.slice(1).trim(), text), op: '!', values: [] };
  const set = /^(\S+)\s+(in|notin)\s*(\(.*\))$/.exec(text);
  if (set) return parseSet(set[1]!, set[2] as 'in' | 'notin', set[3]!, text);
  const cmp = /^([^=!<>\s]+)\s*(==|=|!=|<|>)\s*(.*)$/.exec(text);
  if (cmp) {
    const [, key, rawOp, value] = cmp as unknown as [string, string, string, string];
    const op: LabelOp =
      rawOp === '==' ? '=' : rawOp === '>' ? 'gt' : rawOp === '<' ? 'lt' : (rawOp as LabelOp);
    if ((op === 'gt' || op === 'lt') && !/^-?\d+$/.test(value.trim()))
      fail(text, `for 'Gt', 'Lt' operators, the value must be an integer`);
    return { key: checkKey(key, text), op, values: [checkValue(value.trim(), text)] };
  }
  return { key: checkKey(text, text), op: 'exists', values: [] };
}

export function parseLabelSelector(text: string | undefined): LabelSelector {
  if (text === undefined || text.trim() === '') return [];
  return splitTopLevel(text).map((part) => {
    if (part === '') fail(text, "found '', expected: identifier");
    return parseRequirement(part);
  });
}

function matchesRequirement(req: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, req.key);
  const value = labels[req.key];
  switch (req.op) {
    case 'exists':
      return has;
    case '!':
      return !has;
    case '=':
    case 'in':
      return has && req.values.includes(value!);
    // `!=` and `notin` also select objects without the label (labels/selector.go, Requirement.Matches).
    case '!=':
    case 'notin':
      return !has || !req.values.includes(value!);
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(value!)) return false;
      const n = Number(value);
      const bound = Number(req.values[0]);
      return req.op === 'gt' ? n > bound : n < bound;
    }
  }
}

export function matchesLabels(selector: LabelSelector, obj: KubeObject): boolean {
  const labels = obj.metadata.labels ?? {};
  return selector.every((req) => matchesRequirement(req, labels));
}

interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

export type FieldSelector = FieldRequirement[];

/** Field selectors supported per resource (pkg/registry/core/pod/strategy.go ToSelectableFields, etc.). */
const FIELDS: Record<string, string[]> = {
  '/pods': [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ],
  '/namespaces': ['status.phase'],
  '/events': [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
};

/** Parses `a=b,c!=d`; rejects fields the resource does not index, with kube-apiserver's 400 message. */
export function parseFieldSelector(text: string | undefined, key: string, custom: boolean): FieldSelector {
  if (text === undefined || text.trim() === '') return [];
  const allowed = ['metadata.name', 'metadata.namespace', ...(FIELDS[key] ?? [])];
  return text.split(',').map((part) => {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(part.trim());
    if (!match) throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
    const field = match[1]!.trim();
    if (!allowed.includes(field)) {
      // Custom resources: apiextensions-apiserver's message; built-ins: the generic conversion error.
      throw badRequest(
        custom
          ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${field}`,
      );
    }
    return { field, negate: match[2] === '!=', value: match[3]!.trim() };
  });
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split('.')) cur = isRecord(cur) ? cur[part] : undefined;
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

export function matchesFields(selector: FieldSelector, obj: KubeObject): boolean {
  return selector.every((req) => (fieldValue(obj, req.field) === req.value) !== req.negate);
}

/**
 * Server-side printing (meta.k8s.io/v1 Table), which kubectl asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. Custom resources get Name plus their
 * additionalPrinterColumns (or Age when they declare none), as apiextensions-apiserver's table convertor does;
 * built-in types get Name and Age only (kube-apiserver's richer built-in printers are not copied).
 */
import type { PrinterColumn, ResourceDef } from './resources.js';
import { isRecord, type KubeObject } from './types.js';

export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => /;\s*as=Table/.test(part) && /g=meta\.k8s\.io/.test(part));
}

const AGE: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };

function columnsOf(def: ResourceDef): PrinterColumn[] {
  const extra = def.crdName !== undefined ? (def.printerColumns ?? []) : [];
  return [
    { name: 'Name', type: 'string', format: 'name', jsonPath: '.metadata.name' },
    ...(extra.length > 0 ? extra : [AGE]),
  ];
}

const TOKEN = String.raw`\.([A-Za-z0-9_-]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([A-Za-z0-9_.-]+)\s*==\s*["']([^"']*)["']\)\]`;

/** The JSONPath subset printer columns use: `.a.b`, `[0]`, `[*]`, `[?(@.type=="Ready")]`. */
export function jsonPath(obj: unknown, path: string): unknown[] {
  let current: unknown[] = [obj];
  const text = path.replace(/^\{|\}$/g, '');
  // A regex per call: the filter recurses, and a shared sticky regex would lose its place.
  const tokens = new RegExp(TOKEN, 'gy');
  for (let match = tokens.exec(text); match; match = tokens.exec(text)) {
    const [, field, index, filterField, filterValue] = match;
    current = current.flatMap((value): unknown[] => {
      if (field !== undefined) return isRecord(value) && value[field] !== undefined ? [value[field]] : [];
      if (!Array.isArray(value)) return [];
      if (index !== undefined) return value[Number(index)] === undefined ? [] : [value[Number(index)]];
      if (filterField === undefined) return value;
      return value.filter((item) => String(jsonPath(item, `.${filterField}`)[0]) === filterValue);
    });
  }
  return current;
}

/** duration.HumanDuration, the age format of kubectl and the table convertor. */
export function humanAge(since: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 10) return `${minutes}m${seconds % 60 === 0 ? '' : `${seconds % 60}s`}`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h`;
  return `${Math.floor(hours / 24)}d`;
}

function cell(obj: KubeObject, column: PrinterColumn): unknown {
  const values = jsonPath(obj, column.jsonPath);
  if (values.length === 0) return null;
  if (column.type === 'date' && typeof values[0] === 'string') return humanAge(values[0]);
  return values.length === 1
    ? values[0]
    : values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(',');
}

export function toTable(
  def: ResourceDef,
  objects: KubeObject[],
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  const columns = columnsOf(def);
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: columns.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description ?? '',
      priority: c.priority ?? 0,
    })),
    rows: objects.map((obj) => ({
      cells: columns.map((c) => cell(obj, c)),
      object: { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata },
    })),
  };
}

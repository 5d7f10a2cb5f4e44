// Text → Kubernetes objects, without touching the file system: multi-document YAML or one JSON value,
// empty documents skipped, `List` kinds flattened, every document checked for apiVersion and kind.
import { parseAllDocuments } from 'yaml';
import { isRecord, type KubeObject, type SourcedObject } from './kube-object.js';
import { ManifestError } from './manifest-error.js';

/** Parses one file's text; `file` names it in errors. JSON when the name ends in `.json`, else YAML. */
export function parseDocuments(file: string, text: string): SourcedObject[] {
  const values = file.toLowerCase().endsWith('.json') ? [parseJson(file, text)] : parseYaml(file, text);
  return values.flatMap((value, index) =>
    value === null || value === undefined ? [] : flattenList(file, index, value),
  );
}

function parseJson(file: string, text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new ManifestError(file, `invalid JSON: ${(cause as Error).message}`, { cause });
  }
}

function parseYaml(file: string, text: string): unknown[] {
  // YAML 1.2 core schema (the library's default), as JSON-compatible values; aliases stay bounded by
  // the library's maxAliasCount, so a "billion laughs" document fails instead of exhausting memory.
  return parseAllDocuments(text, { prettyErrors: true }).map((doc, index) => {
    const error = doc.errors[0];
    if (error)
      throw new ManifestError(file, `invalid YAML: ${error.message}`, { document: index, cause: error });
    try {
      return doc.toJS() as unknown;
    } catch (cause) {
      throw new ManifestError(file, `invalid YAML: ${(cause as Error).message}`, { document: index, cause });
    }
  });
}

/**
 * `kubectl get -o yaml` prints a `v1 List`; the API returns typed lists (`PodList`) whose items carry no
 * apiVersion/kind. Both are flattened; typed-list items inherit the kind the list's name implies.
 */
function flattenList(file: string, index: number, value: unknown): SourcedObject[] {
  const object = asKubeObject(file, index, value);
  if (!object.kind.endsWith('List') || !Array.isArray(object.items)) return [{ file, index, object }];
  const itemKind = object.kind === 'List' ? undefined : object.kind.slice(0, -'List'.length);
  return object.items.flatMap((item: unknown) => {
    const filled =
      itemKind !== undefined && isRecord(item)
        ? { apiVersion: object.apiVersion, kind: itemKind, ...item }
        : item;
    return flattenList(file, index, filled);
  });
}

function asKubeObject(file: string, index: number, value: unknown): KubeObject {
  if (!isRecord(value)) {
    throw new ManifestError(file, `expected a Kubernetes object (a mapping), got ${describe(value)}`, {
      document: index,
    });
  }
  for (const key of ['apiVersion', 'kind'] as const) {
    const field = value[key];
    if (typeof field !== 'string' || field === '') {
      throw new ManifestError(file, `${key} is missing or not a string`, { document: index });
    }
  }
  if (value.metadata !== undefined && !isRecord(value.metadata)) {
    throw new ManifestError(file, 'metadata must be a mapping', { document: index });
  }
  return value as KubeObject;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a sequence';
  return `a ${typeof value}`;
}

// Text → Kubernetes objects, without touching the file system: multi-document YAML or one JSON value,
// empty documents skipped, `List` kinds flattened, every document checked for apiVersion and kind.
import { Composer, LineCounter, Parser, type YAMLError } from 'yaml';
import { isRecord, type KubeObject, type SourcedObject } from './kube-object.js';
import { ManifestError } from './manifest-error.js';

/**
 * The most objects one command reads, across all its files. Far more than any repository's manifests, and
 * far below what exhausts the heap (a YAML document costs ~4 KB while it is parsed): past it, a clear
 * error instead of a crash.
 */
export const MAX_OBJECTS = 100_000;

/**
 * Parses one file's text; `file` names it in errors. JSON when the name ends in `.json`, else YAML.
 * `budget` is how many objects may still be read; past it, a ManifestError.
 */
export function parseDocuments(file: string, text: string, budget = MAX_OBJECTS): SourcedObject[] {
  const objects: SourcedObject[] = [];
  const values = isJsonFile(file) ? [parseJson(file, text)] : parseYaml(file, text);
  let index = 0;
  for (const value of values) {
    if (value !== null && value !== undefined) {
      for (const object of flattenList(file, index, value)) {
        if (objects.length >= budget) throw tooMany(file, index);
        objects.push(object);
      }
    }
    index += 1;
  }
  return objects;
}

/** A file is parsed as JSON when its name ends in `.json` (any case), else as YAML. */
export function isJsonFile(file: string): boolean {
  return file.toLowerCase().endsWith('.json');
}

function tooMany(file: string, index: number): ManifestError {
  return new ManifestError(
    file,
    `more than ${MAX_OBJECTS} objects in the input; split it into smaller runs`,
    {
      document: index,
    },
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

/**
 * YAML 1.2 core schema (the library's default), as JSON-compatible values; aliases stay bounded by the
 * library's maxAliasCount, so a "billion laughs" document fails instead of exhausting memory. Documents
 * are composed one at a time (a generator), so only one document's syntax tree is alive at once.
 */
function* parseYaml(file: string, text: string): Generator {
  let index = 0;
  const lines = new LineCounter();
  const composer = new Composer();
  for (const doc of composer.compose(new Parser(lines.addNewLine).parse(text), true, text.length)) {
    const error = doc.errors[0];
    if (error)
      throw new ManifestError(file, `invalid YAML: ${withLine(error, lines)}`, {
        document: index,
        cause: error,
      });
    try {
      yield doc.toJS() as unknown;
    } catch (cause) {
      throw new ManifestError(file, `invalid YAML: ${(cause as Error).message}`, { document: index, cause });
    }
    index += 1;
  }
}

/** The parser's message with where it happened, as `parseAllDocuments`' prettyErrors would say it. */
function withLine(error: YAMLError, lines: LineCounter): string {
  const { line, col } = lines.linePos(error.pos[0]);
  return `${error.message.split('\n')[0]} at line ${line}, column ${col}`;
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

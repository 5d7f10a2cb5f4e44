// The I/O edge of manifest reading: expand `-f` paths, read each file, parse its documents.
import { readFile } from 'node:fs/promises';
import { findFiles, STDIN_PATH } from './find-files.js';
import type { SourcedObject } from './kube-object.js';
import { ManifestError } from './manifest-error.js';
import { MAX_OBJECTS, parseDocuments } from './parse-documents.js';
import type { ParsedFiles } from './parsed-files.js';

export type { KubeObject, SourcedObject } from './kube-object.js';
export { ManifestError } from './manifest-error.js';
export { STDIN_PATH } from './find-files.js';
export { ParsedFiles } from './parsed-files.js';

/** How standard input is named in SourcedObject.file and in errors. */
export const STDIN_NAME = '<stdin>';

/**
 * Loads every Kubernetes object from files and directories (recursive: *.yaml, *.yml, *.json; `-` reads
 * standard input), in a deterministic order. Throws ManifestError, naming the file (and document), when a
 * file cannot be read or parsed or a document lacks apiVersion/kind. With `parsed`, a content parsed before
 * (by this or an earlier call) is not parsed again: its objects are shared, so treat them as immutable.
 */
export async function loadManifests(paths: string[], parsed?: ParsedFiles): Promise<SourcedObject[]> {
  const objects: SourcedObject[] = [];
  for (const file of await findFiles(paths)) {
    const [name, text] = file === STDIN_PATH ? [STDIN_NAME, await readStdin()] : [file, await readText(file)];
    // A loop, not push(...spread): a spread of 100k+ arguments overflows the stack.
    const budget = MAX_OBJECTS - objects.length;
    const read = parsed === undefined ? parseDocuments(name, text, budget) : parsed.parse(name, text, budget);
    for (const object of read) objects.push(object);
  }
  return objects;
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (cause) {
    throw new ManifestError(file, `cannot read: ${(cause as Error).message}`, { cause });
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

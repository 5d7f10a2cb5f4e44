// Which files a list of `-f` paths names: files as given, directories walked recursively for manifests.
import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ManifestError } from './manifest-error.js';

/** The extensions kubectl reads from a directory (`kubectl apply -f DIR -R`), here in any letter case. */
const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

export function isManifestFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return MANIFEST_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The path that means "read standard input", as in `kubectl apply -f -`. */
export const STDIN_PATH = '-';

/**
 * Expands paths into files, in argument order, each directory's entries sorted by name, so runs are
 * deterministic. A file named explicitly is taken whatever its extension; a file reached twice, once.
 * `-` (standard input) passes through as is.
 */
export async function findFiles(paths: string[]): Promise<string[]> {
  const seen = new Set<string>();
  const files: string[] = [];
  for (const path of paths) {
    if (path === STDIN_PATH) {
      if (!seen.has(STDIN_PATH)) files.push(STDIN_PATH);
      seen.add(STDIN_PATH);
      continue;
    }
    for (const file of await expand(path, new Set())) {
      const real = await realpath(file);
      if (seen.has(real)) continue;
      seen.add(real);
      files.push(file);
    }
  }
  return files;
}

async function expand(path: string, ancestors: Set<string>): Promise<string[]> {
  const info = await statOrThrow(path);
  if (!info.isDirectory()) return [path];
  // A symbolic link back to an ancestor would otherwise walk forever.
  const real = await realpath(path);
  if (ancestors.has(real)) return [];
  const inside = new Set(ancestors).add(real);
  const names = (await readdir(path)).sort(byCodeUnit);
  const nested: string[] = [];
  for (const name of names) {
    const child = join(path, name);
    const childInfo = await statOrThrow(child);
    if (childInfo.isDirectory()) nested.push(...(await expand(child, inside)));
    else if (childInfo.isFile() && isManifestFileName(name)) nested.push(child);
  }
  return nested;
}

async function statOrThrow(path: string): ReturnType<typeof stat> {
  try {
    return await stat(path);
  } catch (cause) {
    throw new ManifestError(path, `cannot read: ${(cause as Error).message}`, { cause });
  }
}

/** Locale-independent order: the same on every machine and in CI. */
function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

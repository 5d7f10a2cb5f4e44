// `flowprobe run --report FILE.html`: the page of the run's results (src/report/html/render-run.ts), and
// the check that FILE can be written, made before any probe pod is created so that a typo in the path
// costs seconds, not a whole run.
import { constants } from 'node:fs';
import { access, open, stat, unlink, writeFile } from 'node:fs/promises';
import type { TestObject } from '../kube/index.js';
import { renderRunHtml } from '../report/html/render-run.js';
import type { TestResults } from '../report/test-results.js';

/** Why `path` cannot be written, in words; undefined when it can. Leaves nothing behind. */
export async function reportPathProblem(path: string): Promise<string | undefined> {
  try {
    const existing = await stat(path).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    });
    if (existing?.isDirectory()) return `--report ${path}: is a directory, not a file`;
    if (existing !== undefined) {
      await access(path, constants.W_OK);
      return undefined;
    }
    // Create it and take it away again: only that proves the directory exists and takes new files
    // (access() says yes to root even on a read-only file system).
    await (await open(path, 'wx')).close();
    await unlink(path);
    return undefined;
  } catch (err) {
    return `--report ${path}: cannot write the report there (${describe(err)})`;
  }
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'its directory does not exist';
  if (e.code === 'ENOTDIR') return 'a part of its path is not a directory';
  if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
  if (e.code === 'EROFS') return 'read-only file system';
  return e.message;
}

/** Writes the run's page; each result is named by its test's declared flows (who probed what). */
export async function writeRunReport(
  path: string,
  results: readonly TestResults[],
  tests: readonly TestObject[],
): Promise<void> {
  const flowsOf = (r: TestResults) =>
    tests.find((t) => t.metadata.namespace === r.namespace && t.metadata.name === r.test)?.spec.flows;
  await writeFile(path, renderRunHtml(results.map((r) => ({ ...r, flows: flowsOf(r) ?? [] }))));
}

// Runs a host command for the lab and fails with its stderr. Only the lab's own setup goes through here.
import { execFile, execFileSync } from 'node:child_process';

export class LabCommandError extends Error {
  override readonly name = 'LabCommandError';
}

export function run(file: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else
        reject(
          new LabCommandError(`${file} ${args.join(' ')}: ${stderr.trim() || err.message}`, { cause: err }),
        );
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** For cleanup from a process 'exit' handler, where nothing asynchronous runs any more. */
export function runSyncQuietly(file: string, args: string[]): void {
  try {
    execFileSync(file, args, { stdio: 'ignore', timeout: 5000 });
  } catch {
    // Best effort: the thing may already be gone.
  }
}

// Whether a command-line tool of the machine (kubectl, openssl) runs here, for the tests that use one and
// skip, with the reason, where it is absent.
import { execFileSync } from 'node:child_process';

export function available(binary: string, args: string[]): boolean {
  try {
    execFileSync(binary, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

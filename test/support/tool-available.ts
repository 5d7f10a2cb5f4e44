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

/** What the tests that drive kubectl against the FAKE API server need and this machine lacks. */
export function missingKubectlTools(): string[] {
  const tools: [string, string[]][] = [
    ['kubectl', ['version', '--client']],
    ['openssl', ['version']], // the self-signed certificate: kubectl sends tokens only over TLS
  ];
  return tools.filter(([bin, args]) => !available(bin, args)).map(([bin]) => bin);
}

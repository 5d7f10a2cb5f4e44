// A small real network for the probe tests, built from network namespaces on this machine:
//
//   client namespaces c1 ... c5 ──veth── server namespace srv
//   10.251.K.1/24                          10.251.K.2/24, plus on its loopback:
//                                            10.251.9.10  the service (listeners on 0.0.0.0)
//                                            10.251.9.11  the same listeners, a second address
//                                            10.251.9.53  dnsmasq: web.flowprobe.test -> .10, the
//                                                         search-list names below, rest NXDOMAIN
//                                            10.251.9.54  a resolver whose queries are dropped
//                                            10.251.9.55  nothing listens on 53 (refused)
//                                            10.251.9.77  reachable from srv only: c1 has an
//                                                         `unreachable` route to it
//                                            10.251.9.56  the same dnsmasq, over TCP only (UDP dropped)
//                                            10.251.9.57  a resolver rejected with ICMP admin-prohibited
// IPv6 (ULA, these namespaces only): every client also has fd00:251:K::1/64, the server fd00:251:K::2/64
// and on its loopback fd00:251:9::10 (the same listeners, on ::), fd00:251:9::53 (the same dnsmasq) and
// fd00:251:9::77 (c1 has an `unreachable` route to it); an ip6 nft table gives the ports the same
// behaviours with ICMPv6 rejects. c6 resolves through fd00:251:9::53 (a resolver reached over IPv6).
// c1 resolves through .53 with no search list; c2 through .54 and c3 through .55, with a pod's search
// list and ndots:5; c4 through .53 with a pod's search list and ndots:5 (what the kubelet writes for a
// pod in namespace `production`, cluster domain `flowprobe.test`); c5 through .53 with the same search
// list and ndots:2 (/etc/netns/NAME/resolv.conf). Nothing outside these namespaces is ever a target. Every name carries a per-run prefix, so parallel runs cannot collide,
// and `destroy` (also on process exit) removes namespaces, which takes their veths and nft tables along.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runProbesLocally, type LocalRun } from '../../../src/probe/run-local.js';
import { settleOptions, type SettleOptions } from '../../../src/probe/settle.js';
import type { ProbeSpec } from '../../../src/probe/types.js';
import { run, runSyncQuietly } from './exec.js';
import { LineWatcher } from './line-watcher.js';
import type { PodCgroup } from './pod-cgroup.js';
import type { Tools } from './prereqs.js';
import type { CliResult } from '../run-cli.js';

export const SERVICE = '10.251.9.10';
export const SERVICE_2 = '10.251.9.11';
export const RESOLVER = '10.251.9.53';
export const DROPPED_RESOLVER = '10.251.9.54';
export const CLOSED_RESOLVER = '10.251.9.55';
export const NO_ROUTE = '10.251.9.77';
/** DNS checks: the resolver of RESOLVER, reachable over TCP only (a dropping UDP rule). */
export const TCP_ONLY_RESOLVER = '10.251.9.56';
/** DNS checks: a resolver address whose UDP and TCP 53 are rejected with ICMP admin-prohibited. */
export const PROHIBITED_RESOLVER = '10.251.9.57';
/** DNS checks: a name of the longest length a check may ask about (253), known to RESOLVER as SERVICE_2. */
export const LONGEST_NAME =
  ['a', 'b', 'c'].map((c) => c.repeat(63)).join('.') + `.${'d'.repeat(46)}.flowprobe.test`;
export const SERVICE6 = 'fd00:251:9::10';
export const RESOLVER6 = 'fd00:251:9::53';
export const NO_ROUTE6 = 'fd00:251:9::77';
export const NAME = 'web.flowprobe.test';
export const MISSING_NAME = 'missing.flowprobe.test';

/** A pod's search list in namespace `production` (kubelet pkg/kubelet/network/dns/dns.go, `generateSearchesForDNSClusterFirst`). */
export const SEARCH = ['production.svc.flowprobe.test', 'svc.flowprobe.test', 'flowprobe.test'];
/** Resolves (to SERVICE) only through the first search domain, as `api.shop` would in a cluster. */
export const SEARCH_ONLY_NAME = 'api.shop';
/** Exists as is (SERVICE) and under the first search domain (SERVICE_2): the address shows the order. */
export const DUAL_NAME = 'dual.flowprobe.test';
/** Its first two search-list names are NXDOMAIN; the third goes to a server that never answers. */
export const STALLING_NAME = 'x.stall';

/** Ports on the service address; the nft rules and listeners below give each its behaviour. */
export const PORT = {
  http: 8080,
  silent: 8081,
  closed: 8083,
  lateDrop: 8090,
  drop: 7001,
  rejectReset: 7002,
  rejectPortUnreachable: 7003,
  rejectAdminProhibited: 7004,
  rejectNetUnreachable: 7005,
  udpOpen: 9001,
  udpClosed: 9002,
  udpDropped: 9003,
  /** DNS servers that answer once SERVFAIL then nothing, or under another ID (listeners.ts). */
  dnsServfailOnce: 9010,
  dnsWrongId: 9011,
  /** IPv6 only: ICMPv6 admin-prohibited for UDP. */
  udpProhibited6: 9004,
} as const;

/** More dropping ports, for the benchmark's many distinct targets. */
export const DROP_RANGE = { first: 7100, last: 7199 } as const;

const DNS_CHECK_ADDRESSES = [TCP_ONLY_RESOLVER, PROHIBITED_RESOLVER];

export type Client = 'c1' | 'c2' | 'c3' | 'c4' | 'c5' | 'c6';
const POD_DNS = `search ${SEARCH.join(' ')}\noptions ndots:5\n`;
const CLIENTS: [Client, string][] = [
  ['c1', `nameserver ${RESOLVER}\n`],
  ['c2', `nameserver ${DROPPED_RESOLVER}\n${POD_DNS}`],
  ['c3', `nameserver ${CLOSED_RESOLVER}\n${POD_DNS}`],
  ['c4', `nameserver ${RESOLVER}\n${POD_DNS}`],
  ['c5', `# a comment\nsearch ${SEARCH.join('\t')}\nnameserver ${RESOLVER}\noptions attempts:2 ndots:2\n`],
  ['c6', `nameserver ${RESOLVER6}\n`],
];

const LISTENERS = fileURLToPath(new URL('./listeners.ts', import.meta.url));
const CLI = fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url));

export class NetLab {
  private readonly children: ChildProcess[] = [];
  private listenerOutput: LineWatcher | undefined;
  private readonly onExit = (): void => {
    this.destroySync();
  };
  // Ctrl-C skips 'exit' handlers: clean up, then let the signal do what it would have done.
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.destroySync();
    process.kill(process.pid, signal);
  };

  private constructor(
    readonly tools: Tools,
    readonly prefix: string,
  ) {
    process.once('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  static async create(tools: Tools): Promise<NetLab> {
    const lab = new NetLab(tools, `fp${randomBytes(3).toString('hex')}`);
    try {
      await lab.build();
      return lab;
    } catch (err) {
      await lab.destroy();
      throw err;
    }
  }

  ns(name: Client | 'srv'): string {
    return `${this.prefix}-${name}`;
  }

  private get namespaces(): string[] {
    return [this.ns('srv'), ...CLIENTS.map(([c]) => this.ns(c))];
  }

  private ip(...args: string[]): Promise<string> {
    return run(this.tools.ip, args);
  }

  private async build(): Promise<void> {
    const srv = this.ns('srv');
    await this.ip('netns', 'add', srv);
    await this.ip('-n', srv, 'link', 'set', 'lo', 'up');
    for (const addr of [
      SERVICE,
      SERVICE_2,
      RESOLVER,
      DROPPED_RESOLVER,
      CLOSED_RESOLVER,
      NO_ROUTE,
      ...DNS_CHECK_ADDRESSES,
    ]) {
      await this.ip('-n', srv, 'addr', 'add', `${addr}/32`, 'dev', 'lo');
    }
    // Rejects from one namespace to another on the same kernel are rate-limited like any ICMP error;
    // the tests send many at once, so lift the limit in the server namespace only.
    await this.ip('netns', 'exec', srv, this.tools.busybox, 'sysctl', '-w', 'net.ipv4.icmp_ratelimit=0');
    for (const addr of [SERVICE6, RESOLVER6, NO_ROUTE6]) {
      await this.ip('-n', srv, 'addr', 'add', `${addr}/128`, 'dev', 'lo');
    }
    await this.ip('netns', 'exec', srv, this.tools.busybox, 'sysctl', '-w', 'net.ipv6.icmp.ratelimit=0');
    for (const [k, [client, resolvConf]] of CLIENTS.entries())
      await this.addClient(k + 1, client, resolvConf);
    await this.ip('-n', this.ns('c1'), 'route', 'add', 'unreachable', `${NO_ROUTE}/32`);
    await this.ip('-n', this.ns('c1'), 'route', 'add', 'unreachable', `${NO_ROUTE6}/128`);
    await this.nft(RULES);
    await this.nft(RULES6);
    await this.startListeners();
    await this.startResolver();
  }

  private async addClient(k: number, client: Client, resolvConf: string): Promise<void> {
    const ns = this.ns(client);
    const [near, far] = [`${this.prefix}c${k}`, `${this.prefix}s${k}`];
    await this.ip('netns', 'add', ns);
    await this.ip('-n', ns, 'link', 'set', 'lo', 'up');
    await this.ip(
      'link',
      'add',
      near,
      'netns',
      ns,
      'type',
      'veth',
      'peer',
      'name',
      far,
      'netns',
      this.ns('srv'),
    );
    await this.ip('-n', ns, 'addr', 'add', `10.251.${k}.1/24`, 'dev', near);
    await this.ip('-n', this.ns('srv'), 'addr', 'add', `10.251.${k}.2/24`, 'dev', far);
    await this.ip('-n', ns, 'link', 'set', near, 'up');
    await this.ip('-n', this.ns('srv'), 'link', 'set', far, 'up');
    await this.ip('-n', ns, 'route', 'add', '10.251.9.0/24', 'via', `10.251.${k}.2`);
    await this.addClient6(k, ns, near, far);
    mkdirSync(`/etc/netns/${ns}`, { recursive: true });
    writeFileSync(`/etc/netns/${ns}/resolv.conf`, resolvConf);
  }

  /** The client's IPv6 side: `nodad`, so the addresses are usable at once (no duplicate detection wait). */
  private async addClient6(k: number, ns: string, near: string, far: string): Promise<void> {
    await this.ip('-n', ns, 'addr', 'add', `fd00:251:${k}::1/64`, 'dev', near, 'nodad');
    await this.ip('-n', this.ns('srv'), 'addr', 'add', `fd00:251:${k}::2/64`, 'dev', far, 'nodad');
    await this.ip('-n', ns, 'route', 'add', 'fd00:251:9::/64', 'via', `fd00:251:${k}::2`);
  }

  /** Applies nft commands (a script for `nft -f`) in the server namespace. */
  nft(script: string): Promise<string> {
    return run(this.tools.ip, ['netns', 'exec', this.ns('srv'), this.tools.nft, '-f', '-'], script);
  }

  private async startListeners(): Promise<void> {
    const ports = [
      ['--http', PORT.http],
      ['--http', PORT.lateDrop],
      ['--silent', PORT.silent],
      ['--udp', PORT.udpOpen],
      ['--udp', PORT.udpDropped],
      ['--servfail-once', PORT.dnsServfailOnce],
      ['--wrong-id', PORT.dnsWrongId],
      ['--dns-address', SERVICE],
    ].flatMap(([flag, port]) => [String(flag), String(port)]);
    const child = this.spawnIn('srv', [process.execPath, '--import', 'tsx', LISTENERS, ...ports]);
    this.listenerOutput = new LineWatcher(child.stdout!);
    await this.listenerOutput.waitFor(/^ready$/, 15_000);
  }

  private async startResolver(): Promise<void> {
    const child = this.spawnIn('srv', [
      this.tools.dnsmasq,
      '--keep-in-foreground',
      '--conf-file=/dev/null',
      '--no-resolv',
      '--no-hosts',
      '--pid-file=',
      '--user=root',
      '--log-facility=-',
      `--listen-address=${RESOLVER}`,
      `--listen-address=${TCP_ONLY_RESOLVER}`,
      `--listen-address=${RESOLVER6}`,
      '--bind-interfaces',
      `--address=/${NAME}/${SERVICE}`,
      `--host-record=${SEARCH_ONLY_NAME}.${SEARCH[0]},${SERVICE}`,
      `--host-record=${DUAL_NAME},${SERVICE}`,
      `--host-record=${LONGEST_NAME},${SERVICE_2}`,
      `--host-record=${DUAL_NAME}.${SEARCH[0]},${SERVICE_2}`,
      // The third search-list name of STALLING_NAME is forwarded to the resolver whose queries are dropped.
      `--server=/${STALLING_NAME}.${SEARCH[2]}/${DROPPED_RESOLVER}`,
      '--local=/flowprobe.test/',
      // Every other name is NXDOMAIN, as the internet would answer for a name that does not exist.
      '--address=/#/',
    ]);
    await new LineWatcher(child.stderr!).waitFor(/started, version/, 10_000);
  }

  private spawnIn(ns: Client | 'srv', argv: string[]): ChildProcess {
    const child = spawn(this.tools.ip, ['netns', 'exec', this.ns(ns), ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.on('error', () => undefined); // reported by the readiness wait instead
    this.children.push(child);
    return child;
  }

  /** Resolves once the listener has accepted a TCP connection on `port`. */
  waitForAccept(port: number, timeoutMs: number): Promise<string> {
    if (this.listenerOutput === undefined) throw new Error('the listeners are not running');
    return this.listenerOutput.waitFor(new RegExp(`^accept ${port}$`), timeoutMs);
  }

  /** Resolves once the HTTP listener on `port` has received `GET target` (the target exactly as sent). */
  waitForRequest(port: number, target: string, timeoutMs: number): Promise<string> {
    if (this.listenerOutput === undefined) throw new Error('the listeners are not running');
    const line = `request ${port} GET ${target}`;
    const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    return this.listenerOutput.waitFor(new RegExp(`^${escaped}$`), timeoutMs);
  }

  /**
   * Runs the probe script from a client namespace, exactly as `flowprobe probe` would; in `cgroup` (with a
   * probe pod's limits), when given.
   */
  probe(
    client: Client,
    specs: ProbeSpec[],
    settle: SettleOptions = settleOptions(2),
    cgroup?: PodCgroup,
  ): Promise<LocalRun> {
    const prefix = [
      ...(cgroup?.prefix(this.tools.busybox) ?? []),
      this.tools.ip,
      'netns',
      'exec',
      this.ns(client),
    ];
    return runProbesLocally(specs, { busybox: this.tools.busybox, settle, prefix });
  }

  /** Runs `flowprobe probe ARGS...` (from source) in a client namespace, as a user would. */
  cli(client: Client, args: string[]): Promise<CliResult> {
    const argv = [
      'netns',
      'exec',
      this.ns(client),
      process.execPath,
      '--import',
      'tsx',
      CLI,
      'probe',
      ...args,
    ];
    const env = { ...process.env, FLOWPROBE_BUSYBOX: this.tools.busybox };
    return new Promise((resolve, reject) => {
      execFile(this.tools.ip, argv, { env, timeout: 60_000 }, (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : null;
        if (code === null) reject(err ?? new Error('flowprobe did not exit'));
        else resolve({ code, stdout, stderr });
      });
    });
  }

  async destroy(): Promise<void> {
    await Promise.all(this.children.map(stop));
    this.destroySync();
  }

  private destroySync(): void {
    process.removeListener('exit', this.onExit);
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
    for (const child of this.children) if (child.exitCode === null) child.kill('SIGKILL');
    for (const ns of this.namespaces) {
      runSyncQuietly(this.tools.ip, ['netns', 'del', ns]);
      rmSync(`/etc/netns/${ns}`, { recursive: true, force: true });
    }
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

const RULES = `
table ip flowprobe {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${PORT.drop} drop
    tcp dport ${PORT.rejectReset} reject with tcp reset
    tcp dport ${PORT.rejectPortUnreachable} reject with icmp type port-unreachable
    tcp dport ${PORT.rejectAdminProhibited} reject with icmp type admin-prohibited
    tcp dport ${PORT.rejectNetUnreachable} reject with icmp type net-unreachable
    udp dport ${PORT.udpDropped} drop
    tcp dport ${DROP_RANGE.first}-${DROP_RANGE.last} drop
    ip daddr ${DROPPED_RESOLVER} udp dport 53 drop
    ip daddr ${DROPPED_RESOLVER} tcp dport 53 drop
    ip daddr ${TCP_ONLY_RESOLVER} udp dport 53 drop
    ip daddr ${PROHIBITED_RESOLVER} reject with icmp type admin-prohibited
  }
}
`;

// The same behaviours for IPv6. ICMPv6 has its own codes: admin-prohibited (1), no-route (0); Linux turns
// them into other errno texts than ICMP's (docs/busybox-ipv6.md).
const RULES6 = `
table ip6 flowprobe6 {
  chain input {
    type filter hook input priority 0; policy accept;
    tcp dport ${PORT.drop} drop
    tcp dport ${PORT.rejectReset} reject with tcp reset
    tcp dport ${PORT.rejectPortUnreachable} reject with icmpv6 type port-unreachable
    tcp dport ${PORT.rejectAdminProhibited} reject with icmpv6 type admin-prohibited
    tcp dport ${PORT.rejectNetUnreachable} reject with icmpv6 type no-route
    udp dport ${PORT.udpDropped} drop
    udp dport ${PORT.udpProhibited6} reject with icmpv6 type admin-prohibited
  }
}
`;

/** The rule that makes the late-drop port drop, added while a probe runs. */
export const LATE_DROP_RULE = `add rule ip flowprobe input tcp dport ${PORT.lateDrop} drop\n`;

// Layer 2 (DESIGN.md, "Layers of test"): the probe script under a busybox built like the official
// image's, in network namespaces with real listeners, nftables drop and reject rules and a real
// resolver. Each client namespace's probes run in one script invocation, as one probe pod would.
import { strict as assert } from 'node:assert';
import { setTimeout as delay } from 'node:timers/promises';
import type { Outcome } from '../../src/api/types.js';
import type { LocalRun } from '../../src/probe/run-local.js';
import { settleOptions } from '../../src/probe/settle.js';
import type { ProbeResult, ProbeSpec } from '../../src/probe/types.js';
import {
  DUAL_NAME,
  LATE_DROP_RULE,
  MISSING_NAME,
  NAME,
  NetLab,
  NO_ROUTE,
  PORT,
  SEARCH_ONLY_NAME,
  SERVICE,
  SERVICE_2,
  STALLING_NAME,
  type Client,
} from '../support/netlab/lab.js';
import { requireTools } from '../support/netlab/prereqs.js';
import type { CliResult } from '../support/run-cli.js';

interface Case {
  says: string;
  client: Client;
  spec: ProbeSpec;
  outcome: Outcome;
  detail: string;
  httpStatus?: number;
  /** The address every attempt connected to, where it tells which name was used. */
  address?: string;
}

const tcp = (host: string, port: number): ProbeSpec => ({ kind: 'tcp', host, port, timeoutSeconds: 2 });
const udp = (host: string, port: number): ProbeSpec => ({ kind: 'udp', host, port, timeoutSeconds: 2 });
const http = (host: string, port: number, path: string): ProbeSpec => ({
  kind: 'http',
  host,
  port,
  path,
  timeoutSeconds: 2,
});

const CASES: Case[] = [
  {
    says: 'a TCP listener is Connected',
    client: 'c1',
    spec: tcp(SERVICE, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
  },
  {
    says: 'an HTTP 200 is Connected with its status',
    client: 'c1',
    spec: http(SERVICE, PORT.http, '/200'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 200,
  },
  {
    says: 'an HTTP 404 is Connected with its status',
    client: 'c1',
    spec: http(SERVICE, PORT.http, '/404'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 404,
  },
  {
    says: 'an HTTP 500 is Connected with its status',
    client: 'c1',
    spec: http(SERVICE, PORT.http, '/500'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 500,
  },
  {
    says: 'a server that accepts but never answers HTTP is Connected, silent after connect',
    client: 'c1',
    spec: http(SERVICE, PORT.silent, '/'),
    outcome: 'Connected',
    detail: 'http-timeout-after-connect',
  },
  {
    says: 'a port without listener is Refused',
    client: 'c1',
    spec: tcp(SERVICE, PORT.closed),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'an nftables drop is Blocked by timeout',
    client: 'c1',
    spec: tcp(SERVICE, PORT.drop),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'an HTTP probe to a dropping port is Blocked before any request',
    client: 'c1',
    spec: http(SERVICE, PORT.drop, '/'),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'a reject with tcp reset is Refused',
    client: 'c1',
    spec: tcp(SERVICE, PORT.rejectReset),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'a reject with icmp port-unreachable is Refused, like a reset',
    client: 'c1',
    spec: tcp(SERVICE, PORT.rejectPortUnreachable),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'a reject with icmp admin-prohibited is Unreachable',
    client: 'c1',
    spec: tcp(SERVICE, PORT.rejectAdminProhibited),
    outcome: 'Unreachable',
    detail: 'host-unreachable-or-prohibited',
  },
  {
    says: 'a reject with icmp net-unreachable is Unreachable',
    client: 'c1',
    spec: tcp(SERVICE, PORT.rejectNetUnreachable),
    outcome: 'Unreachable',
    detail: 'net-unreachable',
  },
  {
    says: 'an address without a route is Unreachable',
    client: 'c1',
    spec: tcp(NO_ROUTE, PORT.http),
    outcome: 'Unreachable',
    detail: 'host-unreachable-or-prohibited',
  },
  {
    says: 'a name that resolves is connected at its address',
    client: 'c1',
    spec: http(NAME, PORT.http, '/204'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 204,
  },
  {
    says: 'a name the resolver does not know is a DNSFailure: NXDOMAIN',
    client: 'c1',
    spec: tcp(MISSING_NAME, PORT.http),
    outcome: 'DNSFailure',
    detail: 'nxdomain',
  },
  {
    says: 'a resolver that never answers is a DNSFailure: resolver timeout',
    client: 'c2',
    spec: tcp(NAME, PORT.http),
    outcome: 'DNSFailure',
    detail: 'resolver-timeout',
  },
  {
    says: 'a resolver port that is closed is a DNSFailure: resolver refused',
    client: 'c3',
    spec: tcp(NAME, PORT.http),
    outcome: 'DNSFailure',
    detail: 'resolver-refused',
  },
  // Names as the pod's C library resolves them (glibc resolv/res_query.c, __res_context_search; musl
  // src/network/lookup_name.c): busybox nslookup applies the search list only to names without a dot
  // (networking/nslookup.c, add_query_with_search), the script walks it itself. c4 has a pod's
  // resolv.conf: a search list and ndots:5 (kubelet pkg/kubelet/network/dns/dns.go); c5 has ndots:2.
  {
    says: 'a name with a dot but fewer than ndots resolves through the search list, as the pod resolves it',
    client: 'c4',
    spec: http(SEARCH_ONLY_NAME, PORT.http, '/200'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 200,
    address: SERVICE,
  },
  {
    says: 'a name with fewer dots than ndots is tried under the search domains before as is',
    client: 'c4',
    spec: tcp(DUAL_NAME, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
    address: SERVICE_2,
  },
  {
    says: 'a name with at least ndots dots (options ndots:2) is tried as is first',
    client: 'c5',
    spec: tcp(DUAL_NAME, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
    address: SERVICE,
  },
  {
    says: 'a name that exists only as is resolves after the search domains missed',
    client: 'c4',
    spec: tcp(NAME, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
    address: SERVICE,
  },
  {
    says: 'a trailing dot makes a name absolute: no search domain is tried',
    client: 'c4',
    spec: tcp(`${DUAL_NAME}.`, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
    address: SERVICE,
  },
  {
    says: 'an absolute name that exists only under a search domain is NXDOMAIN',
    client: 'c4',
    spec: tcp(`${SEARCH_ONLY_NAME}.`, PORT.http),
    outcome: 'DNSFailure',
    detail: 'nxdomain',
  },
  {
    says: 'a name that every search domain and the name itself miss is NXDOMAIN',
    client: 'c4',
    spec: tcp('nothing.here', PORT.http),
    outcome: 'DNSFailure',
    detail: 'nxdomain',
  },
  {
    says: 'a search-list walk that meets a silent server is a resolver timeout, not NXDOMAIN',
    client: 'c4',
    spec: tcp(STALLING_NAME, PORT.http),
    outcome: 'DNSFailure',
    detail: 'resolver-timeout',
  },
  {
    says: 'an open UDP port is not rejected',
    client: 'c1',
    spec: udp(SERVICE, PORT.udpOpen),
    outcome: 'Connected',
    detail: 'udp-no-rejection',
  },
  {
    says: 'a closed UDP port is Refused by port-unreachable',
    client: 'c1',
    spec: udp(SERVICE, PORT.udpClosed),
    outcome: 'Refused',
    detail: 'port-unreachable',
  },
  {
    says: 'a dropped UDP port looks exactly like an open one',
    client: 'c1',
    spec: udp(SERVICE, PORT.udpDropped),
    outcome: 'Connected',
    detail: 'udp-no-rejection',
  },
];

/** Starts a probe of the late-drop port, then adds a drop rule about a second after its first connect. */
async function probeWithLateDrop(lab: NetLab): Promise<LocalRun> {
  const probing = lab.probe('c1', [tcp(SERVICE, PORT.lateDrop)]);
  await lab.waitForAccept(PORT.lateDrop, 15_000);
  await delay(1000);
  await lab.nft(LATE_DROP_RULE);
  return probing;
}

const CLI_TARGETS = [
  `tcp://${SERVICE}:${PORT.http}`,
  `http://${NAME}:${PORT.http}/404`,
  `udp://${SERVICE}:${PORT.udpClosed}`,
];

describe('probes on a real network (busybox in network namespaces)', function () {
  this.timeout(60_000);
  let lab: NetLab | undefined;
  const results = new Map<Case, ProbeResult>();
  let late: LocalRun;
  let json: CliResult;
  let table: CliResult;

  before(async function () {
    const tools = requireTools(this, 'the real-network probe tests');
    lab = await NetLab.create(tools);
    const clients: Client[] = ['c1', 'c2', 'c3', 'c4', 'c5'];
    const runs = clients.map(async (client) => {
      const cases = CASES.filter((c) => c.client === client);
      const run = await lab!.probe(
        client,
        cases.map((c) => c.spec),
      );
      cases.forEach((c, i) => results.set(c, run.results[i]!));
    });
    const cliJson = lab.cli('c1', ['-o', 'json', '--attempts', '1', ...CLI_TARGETS]);
    const cliTable = lab.cli('c1', ['-o', 'table', `tcp://${SERVICE}:${PORT.drop}`]);
    [late, json, table] = await Promise.all([probeWithLateDrop(lab), cliJson, cliTable, ...runs]);
  });

  after(async () => {
    await lab?.destroy();
  });

  for (const c of CASES) {
    it(c.says, () => {
      const r = results.get(c)!;
      const seen = JSON.stringify(r, null, 1);
      assert.equal(r.outcome, c.outcome, seen);
      assert.equal(r.detail, c.detail, seen);
      assert.equal(r.httpStatus, c.httpStatus, seen);
      assert.equal(r.settled, true, seen);
      if (c.address !== undefined) {
        assert.deepEqual(
          r.attempts.map((a) => a.address),
          r.attempts.map(() => c.address),
          seen,
        );
      }
    });
  }

  it('a resolved name reports the address it connected to', () => {
    const r = results.get(CASES.find((c) => c.spec.host === NAME && c.client === 'c1')!)!;
    assert.ok(
      r.attempts.every((a) => a.address === SERVICE),
      JSON.stringify(r.attempts),
    );
  });

  it('a drop rule that arrives a moment late settles on Blocked, after the earlier Connected attempts', () => {
    const [r] = late.results;
    const seen = JSON.stringify(r, null, 1);
    assert.equal(r?.outcome, 'Blocked', seen);
    assert.equal(r.settled, true, seen);
    assert.equal(r.attempts[0]?.outcome, 'Connected', seen);
    assert.deepEqual(
      r.attempts.slice(-2).map((a) => a.outcome),
      ['Blocked', 'Blocked'],
      seen,
    );
  });

  it('flowprobe probe -o json prints one object per target, in order, with the target as given', () => {
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      out.map((r) => [r.target, r.outcome, r.detail, r.httpStatus, r.settled]),
      [
        [CLI_TARGETS[0], 'Connected', 'tcp-open', undefined, true],
        [CLI_TARGETS[1], 'Connected', 'http-response', 404, true],
        [CLI_TARGETS[2], 'Refused', 'port-unreachable', undefined, true],
      ],
    );
    for (const r of out) {
      assert.equal(typeof r.durationMs, 'number');
      assert.equal(typeof r.message, 'string');
      assert.equal((r.attempts as unknown[]).length, 1, '--attempts 1 makes exactly one attempt');
    }
  });

  // RFC 3986 section 3.3/3.4: sub-delims and ":" "@" "/" "?" are path and query characters. Each path goes
  // to wget as one argv element, expanded only inside double quotes with globbing off, so a server must
  // receive it byte for byte: no word splitting at ";", no command substitution, no glob of "*".
  it('sends RFC 3986 paths to the server verbatim, never through a shell, with | as %7C', async () => {
    const paths: [string, string][] = [
      ['/odata/Products?$top=1', '/odata/Products?$top=1'],
      ["/a!$'()*+,;=:@b?c=/d?e", "/a!$'()*+,;=:@b?c=/d?e"],
      ['/$(id);x&&id', '/$(id);x&&id'],
      ['/*', '/*'],
      ['/q?in=a|b', '/q?in=a%7Cb'],
      ['/%41%7e', '/%41%7e'],
    ];
    const run = await lab!.probe(
      'c1',
      paths.map(([path]) => http(SERVICE, PORT.http, path)),
      settleOptions(2, 1),
    );
    run.results.forEach((r) => {
      assert.deepEqual([r.outcome, r.httpStatus], ['Connected', 200], JSON.stringify(r));
      assert.equal(r.attempts.length, 1, JSON.stringify(r));
    });
    for (const [, target] of paths) await lab!.waitForRequest(PORT.http, target, 5000);
  });

  it('flowprobe probe -o table shows the outcome and its reason to a human', () => {
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /^TARGET +OUTCOME +DETAIL/);
    assert.match(table.stdout, new RegExp(`tcp://${SERVICE}:${PORT.drop} +Blocked +timeout +yes`));
  });
});

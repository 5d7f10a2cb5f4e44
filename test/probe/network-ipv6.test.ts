// Layer 2 for IPv6: the probe script under the probe image's busybox (FEATURE_IPV6 is on in defconfig),
// against IPv6 addresses inside the lab's own network namespaces (ULA fd00:251::/32, nothing else), with
// ip6 nftables drop and ICMPv6 reject rules. What each case prints is recorded in docs/busybox-ipv6.md.
import { strict as assert } from 'node:assert';
import type { Outcome } from '../../src/api/types.js';
import { settleOptions } from '../../src/probe/settle.js';
import type { ProbeResult, ProbeSpec } from '../../src/probe/types.js';
import { NAME, NetLab, NO_ROUTE6, PORT, SERVICE, SERVICE6, type Client } from '../support/netlab/lab.js';
import { requireTools } from '../support/netlab/prereqs.js';
import type { CliResult } from '../support/run-cli.js';

interface Case {
  says: string;
  client: Client;
  spec: ProbeSpec;
  outcome: Outcome;
  detail: string;
  httpStatus?: number;
  /** The address every attempt connected to. */
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
    says: 'an IPv6 TCP listener is Connected, at the address given',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
    address: SERVICE6,
  },
  {
    says: 'an HTTP 200 over IPv6 is Connected with its status (wget takes the address in brackets)',
    client: 'c1',
    spec: http(SERVICE6, PORT.http, '/200'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 200,
  },
  {
    says: 'an HTTP 404 over IPv6 is Connected with its status',
    client: 'c1',
    spec: http(SERVICE6, PORT.http, '/404'),
    outcome: 'Connected',
    detail: 'http-response',
    httpStatus: 404,
  },
  {
    says: 'an IPv6 port with no listener is Refused (TCP reset)',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.closed),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'an ip6 nft drop is Blocked',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.drop),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'an ip6 nft drop stops an HTTP probe at its TCP step: Blocked',
    client: 'c1',
    spec: http(SERVICE6, PORT.drop, '/'),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'an ip6 `reject with tcp reset` is Refused',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.rejectReset),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'an ICMPv6 port-unreachable reject of TCP is Refused, as over IPv4',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.rejectPortUnreachable),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'an ICMPv6 admin-prohibited reject is Unreachable (nc prints "Permission denied")',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.rejectAdminProhibited),
    outcome: 'Unreachable',
    detail: 'admin-prohibited',
  },
  {
    says: 'an ICMPv6 no-route reject is Unreachable (nc prints "Network is unreachable")',
    client: 'c1',
    spec: tcp(SERVICE6, PORT.rejectNetUnreachable),
    outcome: 'Unreachable',
    detail: 'net-unreachable',
  },
  {
    says: 'an IPv6 address behind a local unreachable route is Unreachable',
    client: 'c1',
    spec: tcp(NO_ROUTE6, PORT.http),
    outcome: 'Unreachable',
    detail: 'host-unreachable-or-prohibited',
  },
  {
    says: 'an IPv6 UDP listener is only "not rejected"',
    client: 'c1',
    spec: udp(SERVICE6, PORT.udpOpen),
    outcome: 'Connected',
    detail: 'udp-no-rejection',
  },
  {
    says: 'an IPv6 UDP port with no listener (ICMPv6 port unreachable) is Refused',
    client: 'c1',
    spec: udp(SERVICE6, PORT.udpClosed),
    outcome: 'Refused',
    detail: 'port-unreachable',
  },
  {
    says: 'an ip6 nft drop of UDP looks the same as a listener: "not rejected"',
    client: 'c1',
    spec: udp(SERVICE6, PORT.udpDropped),
    outcome: 'Connected',
    detail: 'udp-no-rejection',
  },
  {
    says: 'an ICMPv6 admin-prohibited reject of UDP is Unreachable',
    client: 'c1',
    spec: udp(SERVICE6, PORT.udpProhibited6),
    outcome: 'Unreachable',
    detail: 'admin-prohibited',
  },
  {
    says: 'a name resolves through a resolver reached over IPv6 (its A record)',
    client: 'c6',
    spec: tcp(NAME, PORT.http),
    outcome: 'Connected',
    detail: 'tcp-open',
    address: SERVICE,
  },
];

const CLI_TARGETS = [`tcp://[${SERVICE6}]:${PORT.http}`, `http://[${SERVICE6}]:${PORT.http}/204`];

describe('IPv6 probes on a real network (busybox in network namespaces)', function () {
  this.timeout(60_000);
  let lab: NetLab | undefined;
  const results = new Map<Case, ProbeResult>();
  let json: CliResult;

  before(async function () {
    const tools = requireTools(this, 'the real-network IPv6 probe tests');
    lab = await NetLab.create(tools);
    const clients: Client[] = ['c1', 'c6'];
    const runs = clients.map(async (client) => {
      const cases = CASES.filter((c) => c.client === client);
      const run = await lab!.probe(
        client,
        cases.map((c) => c.spec),
      );
      cases.forEach((c, i) => results.set(c, run.results[i]!));
    });
    const cliJson = lab.cli('c1', ['-o', 'json', '--attempts', '1', ...CLI_TARGETS]);
    [json] = await Promise.all([cliJson, ...runs]);
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

  it('flowprobe probe takes bracketed IPv6 targets and prints them as given', () => {
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as Record<string, unknown>[];
    assert.deepEqual(
      out.map((r) => [r.target, r.outcome, r.detail, r.httpStatus]),
      [
        [CLI_TARGETS[0], 'Connected', 'tcp-open', undefined],
        [CLI_TARGETS[1], 'Connected', 'http-response', 204],
      ],
    );
  });

  it('sends the path to an IPv6 server verbatim', async () => {
    const path = "/v6/a!$'()*+,;=:@b?c=%41";
    const run = await lab!.probe('c1', [http(SERVICE6, PORT.http, path)], settleOptions(2, 1));
    assert.deepEqual([run.results[0]?.outcome, run.results[0]?.httpStatus], ['Connected', 200]);
    await lab!.waitForRequest(PORT.http, path, 5000);
  });
});

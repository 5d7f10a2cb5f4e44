// DNS checks on the real-network layer (DESIGN.md, "Layers of test", 2): the probe script under a busybox
// built like the official image's asks resolvers of our own, in network namespaces, a real question over
// UDP (busybox nslookup) and over TCP (the script's own query through nc). The resolvers: dnsmasq
// answering (NOERROR with an address, NXDOMAIN for the rest), the same dnsmasq behind a rule that drops its
// UDP (TCP only), a resolver address whose queries are dropped (silent), one where nothing listens (the
// kernel rejects: ICMP port unreachable for UDP, a reset for TCP) and one rejected with ICMP
// admin-prohibited (test/support/netlab/lab.ts). An answer of any rcode proves the path; silence is
// Blocked, never an answer (issue 16).
import { strict as assert } from 'node:assert';
import type { Outcome } from '../../src/api/types.js';
import type { ProbeResult, ProbeSpec } from '../../src/probe/types.js';
import {
  CLOSED_RESOLVER,
  DROPPED_RESOLVER,
  LONGEST_NAME,
  MISSING_NAME,
  NAME,
  NetLab,
  PORT,
  PROHIBITED_RESOLVER,
  RESOLVER,
  RESOLVER6,
  SERVICE,
  SERVICE_2,
  SERVICE6,
  TCP_ONLY_RESOLVER,
} from '../support/netlab/lab.js';
import { requireTools } from '../support/netlab/prereqs.js';
import type { CliResult } from '../support/run-cli.js';

interface Case {
  says: string;
  spec: ProbeSpec;
  outcome: Outcome;
  detail: string;
}

const ask = (kind: 'dns' | 'dnstcp', server: string, name: string): ProbeSpec => ({
  kind,
  host: server,
  port: 53,
  name,
  timeoutSeconds: 2,
});

const CASES: Case[] = [
  // A resolver reached over IPv6 (the same dnsmasq, on fd00:251:9::53): the question is still for the A
  // record; busybox nslookup and nc take a bare IPv6 server address (libbb/xconnect.c str2sockaddr).
  {
    says: 'a resolver at an IPv6 address answers NOERROR with the address, over UDP',
    spec: ask('dns', RESOLVER6, NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE}`,
  },
  {
    says: 'a resolver at an IPv6 address answers NOERROR with the address, over TCP',
    spec: ask('dnstcp', RESOLVER6, NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE}`,
  },
  {
    says: 'a resolver at an IPv6 address answers NXDOMAIN for a name it does not know, over UDP',
    spec: ask('dns', RESOLVER6, MISSING_NAME),
    outcome: 'Connected',
    detail: 'answer NXDOMAIN',
  },
  {
    says: 'a resolver that knows the name answers NOERROR with the address, over UDP',
    spec: ask('dns', RESOLVER, NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE}`,
  },
  {
    says: 'a resolver that knows the name answers NOERROR with the address, over TCP',
    spec: ask('dnstcp', RESOLVER, NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE}`,
  },
  {
    says: 'a fully qualified name (trailing dot) is asked as is',
    spec: ask('dnstcp', RESOLVER, `${NAME}.`),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE}`,
  },
  {
    says: 'the longest name (253 characters, a TCP message over 255 bytes) is asked and answered over TCP',
    spec: ask('dnstcp', RESOLVER, LONGEST_NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE_2}`,
  },
  {
    says: 'the longest name is asked and answered over UDP',
    spec: ask('dns', RESOLVER, LONGEST_NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE_2}`,
  },
  {
    says: 'NXDOMAIN is an answer: the path is open, over UDP',
    spec: ask('dns', RESOLVER, MISSING_NAME),
    outcome: 'Connected',
    detail: 'answer NXDOMAIN',
  },
  {
    says: 'NXDOMAIN is an answer: the path is open, over TCP',
    spec: ask('dnstcp', RESOLVER, MISSING_NAME),
    outcome: 'Connected',
    detail: 'answer NXDOMAIN',
  },
  {
    says: 'a silent resolver (queries dropped) is Blocked over UDP, not an answer',
    spec: ask('dns', DROPPED_RESOLVER, NAME),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'a silent resolver (queries dropped) is Blocked over TCP',
    spec: ask('dnstcp', DROPPED_RESOLVER, NAME),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'a TCP-only resolver is Blocked over UDP',
    spec: ask('dns', TCP_ONLY_RESOLVER, NAME),
    outcome: 'Blocked',
    detail: 'timeout',
  },
  {
    says: 'a TCP-only resolver answers over TCP',
    spec: ask('dnstcp', TCP_ONLY_RESOLVER, NAME),
    outcome: 'Connected',
    detail: `answer NOERROR ${SERVICE}`,
  },
  {
    says: 'a closed resolver port is Refused over UDP (ICMP port unreachable)',
    spec: ask('dns', CLOSED_RESOLVER, NAME),
    outcome: 'Refused',
    detail: 'port-unreachable',
  },
  {
    says: 'a closed resolver port is Refused over TCP (reset)',
    spec: ask('dnstcp', CLOSED_RESOLVER, NAME),
    outcome: 'Refused',
    detail: 'reset-or-port-unreachable',
  },
  {
    says: 'an admin-prohibited resolver is Unreachable over UDP',
    spec: ask('dns', PROHIBITED_RESOLVER, NAME),
    outcome: 'Unreachable',
    detail: 'host-unreachable-or-prohibited',
  },
  {
    says: 'an admin-prohibited resolver is Unreachable over TCP',
    spec: ask('dnstcp', PROHIBITED_RESOLVER, NAME),
    outcome: 'Unreachable',
    detail: 'host-unreachable-or-prohibited',
  },
  // An IPv6 address behind an ICMPv6 admin-prohibited reject (the ip6 table's ports in lab.ts): Linux
  // reports it as `Permission denied` (net/ipv6/icmp.c, tab_unreach), which nslookup prints before its own
  // `timed out`. Unreachable, not a silent Blocked or an unreadable Error.
  {
    says: 'an ICMPv6 admin-prohibited resolver is Unreachable over UDP',
    spec: { ...ask('dns', SERVICE6, NAME), port: PORT.udpProhibited6 },
    outcome: 'Unreachable',
    detail: 'admin-prohibited',
  },
  {
    says: 'an ICMPv6 admin-prohibited resolver is Unreachable over TCP',
    spec: { ...ask('dnstcp', SERVICE6, NAME), port: PORT.rejectAdminProhibited },
    outcome: 'Unreachable',
    detail: 'admin-prohibited',
  },
  // busybox nslookup prints `Server:` for any reply, before it checks the ID or resends after SERVFAIL
  // (networking/nslookup.c, send_queries): a reply it never accepted says nothing of an rcode.
  {
    says: 'a SERVFAIL followed by silence is an answer of unknown rcode, not NOERROR',
    spec: { ...ask('dns', SERVICE, NAME), port: PORT.dnsServfailOnce },
    outcome: 'Connected',
    detail: 'answer (rcode unknown)',
  },
  {
    says: 'a reply under another ID followed by silence is an answer of unknown rcode, not NOERROR',
    spec: { ...ask('dns', SERVICE, NAME), port: PORT.dnsWrongId },
    outcome: 'Connected',
    detail: 'answer (rcode unknown)',
  },
];

describe('DNS checks on a real network (busybox asking resolvers in network namespaces)', function () {
  this.timeout(60_000);
  let lab: NetLab | undefined;
  let results: ProbeResult[] = [];
  let cli: CliResult;
  let badName: CliResult;

  before(async function () {
    const tools = requireTools(this, 'the real-network DNS check tests');
    lab = await NetLab.create(tools);
    // One script run, as one probe pod would run them (c1 resolves through RESOLVER, no search list).
    const run = lab.probe(
      'c1',
      CASES.map((c) => c.spec),
    );
    const cliRun = lab.cli('c1', [
      '-o',
      'json',
      '--attempts',
      '1',
      `dns://${RESOLVER}/${NAME}`,
      `dns+tcp://${TCP_ONLY_RESOLVER}:53/${MISSING_NAME}`,
      `dns+tcp://[${RESOLVER6}]/${NAME}`,
    ]);
    const badRun = lab.cli('c1', ['-o', 'json', `dns://${RESOLVER}/$(touch\${IFS}/tmp/x)`]);
    let local;
    [local, cli, badName] = await Promise.all([run, cliRun, badRun]);
    results = local.results;
  });

  after(async () => {
    await lab?.destroy();
  });

  CASES.forEach((c, i) => {
    it(c.says, () => {
      const r = results[i];
      assert.ok(r, 'no result');
      assert.deepEqual(
        { outcome: r.outcome, detail: r.detail, settled: r.settled },
        { outcome: c.outcome, detail: c.detail, settled: true },
        `attempts: ${JSON.stringify(r.attempts.map((a) => [a.step, a.exitCode, a.message]))}`,
      );
    });
  });

  it('flowprobe probe takes dns://SERVER/NAME and dns+tcp://SERVER:PORT/NAME, SERVER an IPv6 address in brackets too', () => {
    assert.equal(cli.code, 0, cli.stderr);
    const out = JSON.parse(cli.stdout) as ProbeResult[];
    assert.deepEqual(
      out.map((r) => [r.target, r.outcome, r.detail]),
      [
        [`dns://${RESOLVER}/${NAME}`, 'Connected', `answer NOERROR ${SERVICE}`],
        [`dns+tcp://${TCP_ONLY_RESOLVER}:53/${MISSING_NAME}`, 'Connected', 'answer NXDOMAIN'],
        [`dns+tcp://[${RESOLVER6}]/${NAME}`, 'Connected', `answer NOERROR ${SERVICE}`],
      ],
    );
  });

  it('flowprobe probe refuses a name that is not a DNS name with exit 2, probing nothing', () => {
    assert.equal(badName.code, 2);
    assert.equal(badName.stdout, '');
    assert.match(badName.stderr, /not a DNS name/);
  });
});

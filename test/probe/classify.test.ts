// The measured busybox texts (shared/reference/busybox-probe.md, re-measured with 1.35.0 defconfig in
// test/probe/network.test.ts) and the outcome each one means.
import { strict as assert } from 'node:assert';
import type { Outcome } from '../../src/api/types.js';
import { classifyAttempt } from '../../src/probe/classify.js';
import type { RawAttempt } from '../../src/probe/result-line.js';

type Row = [string, Partial<RawAttempt> & Pick<RawAttempt, 'step'>, Outcome, string, number?];

const nc = (port: number, text: string): string => `nc: 10.0.0.1 (10.0.0.1:${port}): ${text};sent 0, rcvd 0`;

const nc6 = (port: number, text: string): string => `nc: fd00::1 ([fd00::1]:${port}): ${text};sent 0, rcvd 0`;

const ROWS: Row[] = [
  // IPv6, measured in docs/busybox-ipv6.md (ICMPv6 codes map to other errno texts than ICMP's).
  [
    'an IPv6 TCP port behind an ICMPv6 admin-prohibited reject',
    { step: 'tcp', exitCode: 1, message: nc6(80, 'Permission denied') },
    'Unreachable',
    'admin-prohibited',
  ],
  [
    'an IPv6 UDP port behind an ICMPv6 admin-prohibited reject',
    { step: 'udp', exitCode: 1, message: nc6(53, 'Permission denied') },
    'Unreachable',
    'admin-prohibited',
  ],
  [
    'an IPv6 TCP port behind an ICMPv6 no-route reject',
    { step: 'tcp', exitCode: 1, message: nc6(80, 'Network is unreachable') },
    'Unreachable',
    'net-unreachable',
  ],
  [
    'an IPv6 wget that an ICMPv6 admin-prohibited reject stopped after nc connected',
    { step: 'http', exitCode: 1, message: "wget: can't connect to remote host: Permission denied" },
    'Unreachable',
    'admin-prohibited',
  ],
  [
    'an open TCP port',
    { step: 'tcp', exitCode: 0, message: '10.0.0.1 (10.0.0.1:80) open;sent 0, rcvd 0' },
    'Connected',
    'tcp-open',
  ],
  [
    'a refused TCP port',
    { step: 'tcp', exitCode: 1, message: nc(80, 'Connection refused') },
    'Refused',
    'reset-or-port-unreachable',
  ],
  [
    'a dropped TCP port',
    { step: 'tcp', exitCode: 1, message: nc(80, 'Connection timed out') },
    'Blocked',
    'timeout',
  ],
  ['nc killed by the timeout applet', { step: 'tcp', exitCode: 143, message: 'punt!' }, 'Blocked', 'timeout'],
  ['nc killed without a word', { step: 'tcp', exitCode: 137, message: '' }, 'Blocked', 'timeout'],
  [
    'ICMP admin-prohibited or host-unreachable',
    { step: 'tcp', exitCode: 1, message: nc(80, 'No route to host') },
    'Unreachable',
    'host-unreachable-or-prohibited',
  ],
  [
    'ICMP net-unreachable',
    { step: 'tcp', exitCode: 1, message: nc(80, 'Network is unreachable') },
    'Unreachable',
    'net-unreachable',
  ],
  [
    'an nc text never seen before',
    { step: 'tcp', exitCode: 1, message: 'nc: something new' },
    'Error',
    'unrecognised-output',
  ],
  [
    'an HTTP 200',
    { step: 'http', exitCode: 0, httpStatus: 200, message: 'HTTP/1.1 200 OK' },
    'Connected',
    'http-response',
    200,
  ],
  [
    'an HTTP 404',
    {
      step: 'http',
      exitCode: 1,
      httpStatus: 404,
      message: 'HTTP/1.1 404 Not Found;wget: server returned error: HTTP/1.1 404 Not Found',
    },
    'Connected',
    'http-response',
    404,
  ],
  [
    'an HTTP 503',
    { step: 'http', exitCode: 1, httpStatus: 503, message: 'wget: server returned error: HTTP/1.1 503 x' },
    'Connected',
    'http-response',
    503,
  ],
  [
    'a silent HTTP server',
    { step: 'http', exitCode: 1, message: 'wget: download timed out' },
    'Connected',
    'http-timeout-after-connect',
  ],
  [
    'wget refused after nc connected',
    {
      step: 'http',
      exitCode: 1,
      message: "wget: can't connect to remote host (10.0.0.1): Connection refused",
    },
    'Refused',
    'reset-or-port-unreachable',
  ],
  [
    'wget reset mid-response',
    { step: 'http', exitCode: 1, message: 'wget: error getting response: Connection reset by peer' },
    'Connected',
    'http-error-after-connect',
  ],
  [
    'an open or dropped UDP port',
    { step: 'udp', exitCode: 0, message: '10.0.0.1 (10.0.0.1:53) open' },
    'Connected',
    'udp-no-rejection',
  ],
  [
    'a closed UDP port',
    { step: 'udp', exitCode: 1, message: nc(53, 'Connection refused') },
    'Refused',
    'port-unreachable',
  ],
  [
    'a prohibited UDP port',
    { step: 'udp', exitCode: 1, message: nc(53, 'No route to host') },
    'Unreachable',
    'host-unreachable-or-prohibited',
  ],
  [
    'NXDOMAIN',
    {
      step: 'dns',
      exitCode: 1,
      message: "Server: 10.96.0.10;Address: 10.96.0.10:53;;** server can't find x.test: NXDOMAIN",
    },
    'DNSFailure',
    'nxdomain',
  ],
  [
    'a silent resolver',
    { step: 'dns', exitCode: 1, message: ';; connection timed out; no servers could be reached' },
    'DNSFailure',
    'resolver-timeout',
  ],
  [
    'a closed resolver port',
    {
      step: 'dns',
      exitCode: 1,
      message: 'nslookup: read: Connection refused;;; connection timed out; no servers could be reached',
    },
    'DNSFailure',
    'resolver-refused',
  ],
  [
    'a resolver that answers REFUSED',
    { step: 'dns', exitCode: 1, message: "** server can't find x: REFUSED" },
    'DNSFailure',
    'resolver-refused',
  ],
  [
    'a resolver that answers SERVFAIL',
    { step: 'dns', exitCode: 1, message: "** server can't find x: SERVFAIL" },
    'DNSFailure',
    'resolver-servfail',
  ],
  [
    'an unreachable resolver',
    {
      step: 'dns',
      exitCode: 1,
      message: "nslookup: can't connect to remote host (10.0.0.53): Network is unreachable",
    },
    'DNSFailure',
    'resolver-unreachable',
  ],
  [
    'nslookup killed by the timeout applet',
    { step: 'dns', exitCode: 143, message: '' },
    'DNSFailure',
    'resolver-timeout',
  ],
  [
    'a name with no IPv4 address',
    { step: 'dns', exitCode: 0, message: 'Server: 10.96.0.10;Name: x;Address: ::1' },
    'DNSFailure',
    'no-ipv4-address',
  ],
  // The script's own walk of the search list (script.ts, `resolve`): the answer it stopped at, or the
  // gravest miss first (the message is cut at 160 characters: here the NXDOMAIN at its end was cut).
  [
    'a search-list walk where every name was NXDOMAIN',
    {
      step: 'dns',
      exitCode: 1,
      message:
        "NXDOMAIN for 4 names (search list, ndots:5): Server: 10.96.0.10;** server can't find api.shop.production.sv",
    },
    'DNSFailure',
    'nxdomain',
  ],
  [
    'a search-list walk with a SERVFAIL among its misses',
    {
      step: 'dns',
      exitCode: 1,
      message: "SERVFAIL for 4 names (search list, ndots:5): ** server can't find api.shop.svc.: SERVFAIL",
    },
    'DNSFailure',
    'resolver-servfail',
  ],
  [
    'a search-list walk that used up the timeout',
    { step: 'dns', exitCode: 1, message: 'search list timed out: no answer for api.shop within the timeout' },
    'DNSFailure',
    'resolver-timeout',
  ],
  [
    'a search-list walk that found the name only without an IPv4 address',
    {
      step: 'dns',
      exitCode: 0,
      message: 'no IPv4 address for 4 names (search list, ndots:5): Server: 10.96.0.10',
    },
    'DNSFailure',
    'no-ipv4-address',
  ],
  [
    'an argument the script refused',
    { step: 'arg', exitCode: 2, message: 'invalid probe argument' },
    'Error',
    'invalid-argument',
  ],
  // DNS checks (measured in test/probe/dns-check.test.ts): any reply is an answer, whatever its rcode.
  [
    'a DNS answer with an address',
    { step: 'dnsudp', exitCode: 0, message: 'answer NOERROR 10.96.0.10' },
    'Connected',
    'answer NOERROR 10.96.0.10',
  ],
  [
    'an NXDOMAIN answer',
    { step: 'dnstcp', exitCode: 0, message: 'answer NXDOMAIN' },
    'Connected',
    'answer NXDOMAIN',
  ],
  [
    'a REFUSED answer',
    { step: 'dnsudp', exitCode: 0, message: 'answer REFUSED' },
    'Connected',
    'answer REFUSED',
  ],
  [
    'a DNS question nobody answered over UDP',
    { step: 'dnsudp', exitCode: 1, message: ';; connection timed out; no servers could be reached;' },
    'Blocked',
    'timeout',
  ],
  [
    'a DNS question over UDP to a closed port',
    {
      step: 'dnsudp',
      exitCode: 1,
      message: 'nslookup: read: Connection refused;;; connection timed out; no servers could be reached',
    },
    'Refused',
    'port-unreachable',
  ],
  [
    'a DNS question over UDP rejected as prohibited',
    {
      step: 'dnsudp',
      exitCode: 1,
      message: 'nslookup: read: No route to host;;; connection timed out; no servers could be reached',
    },
    'Unreachable',
    'host-unreachable-or-prohibited',
  ],
  // IPv6 resolvers behind an ICMPv6 admin-prohibited reject (measured in test/probe/dns-check.test.ts):
  // Linux reports it as EACCES, `Permission denied` (net/ipv6/icmp.c, tab_unreach).
  [
    'a DNS question over UDP to an IPv6 resolver rejected as admin-prohibited',
    {
      step: 'dnsudp',
      exitCode: 1,
      message: 'nslookup: read: Permission denied;;; connection timed out; no servers could be reached',
    },
    'Unreachable',
    'admin-prohibited',
  ],
  [
    'a DNS question over TCP to an IPv6 resolver rejected as admin-prohibited',
    { step: 'dnstcp', exitCode: 1, message: nc6(53, 'Permission denied') },
    'Unreachable',
    'admin-prohibited',
  ],
  [
    'a name resolved through an IPv6 resolver rejected as admin-prohibited',
    {
      step: 'dns',
      exitCode: 1,
      message: 'nslookup: read: Permission denied;;; connection timed out; no servers could be reached',
    },
    'DNSFailure',
    'resolver-admin-prohibited',
  ],
  [
    'a name resolved through a resolver rejected with ICMP host-prohibited: rejected, not a timeout',
    {
      step: 'dns',
      exitCode: 1,
      message: 'nslookup: read: No route to host;;; connection timed out; no servers could be reached',
    },
    'DNSFailure',
    'resolver-unreachable',
  ],
  [
    'nslookup killed by the timeout applet',
    { step: 'dnsudp', exitCode: 143, message: '' },
    'Blocked',
    'timeout',
  ],
  [
    'a DNS question over TCP to a dropping port',
    { step: 'dnstcp', exitCode: 1, message: nc(53, 'Connection timed out') },
    'Blocked',
    'timeout',
  ],
  [
    'a DNS question over TCP to a closed port',
    { step: 'dnstcp', exitCode: 1, message: nc(53, 'Connection refused') },
    'Refused',
    'reset-or-port-unreachable',
  ],
  [
    'a TCP DNS connection that got no reply: connected, never an answer',
    { step: 'dnstcp', exitCode: 1, message: '10.0.0.1 (10.0.0.1:53) open;sent 33, rcvd 0' },
    'Connected',
    'tcp-open-no-answer',
  ],
  [
    "an answer line that is not the script's",
    { step: 'dnsudp', exitCode: 0, message: 'answer NOERROR; rm -rf' },
    'Error',
    'unrecognised-output',
  ],
  ['a missing applet', { step: 'tcp', exitCode: 127, message: 'sh: nc: not found' }, 'Error', 'tool-missing'],
  ['a step this version does not know', { step: 'icmp', exitCode: 0, message: '' }, 'Error', 'unknown-step'],
];

describe('classifying one attempt', () => {
  for (const [name, partial, outcome, detail, httpStatus] of ROWS) {
    it(`calls ${name} ${outcome} (${detail})`, () => {
      const attempt: RawAttempt = {
        atMs: 0,
        durationMs: 1,
        exitCode: 0,
        address: '10.0.0.1',
        message: '',
        ...partial,
      };
      const got = classifyAttempt(attempt);
      assert.deepEqual(got, { outcome, detail, ...(httpStatus === undefined ? {} : { httpStatus }) });
    });
  }
});

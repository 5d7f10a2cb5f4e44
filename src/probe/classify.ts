// From one attempt's step, exit code and tool text to an outcome (DESIGN.md, "Vocabulary"). The texts
// are busybox's, measured in shared/reference/busybox-probe.md; pure and total (never throws).
//
// What busybox cannot tell apart, and the detail says so:
// - `Connection refused` is a TCP reset (no listener, or `reject with tcp reset`) or an ICMP
//   port-unreachable: `reset-or-port-unreachable`.
// - `No route to host` is ICMP host-unreachable, host-prohibited or admin-prohibited, a local
//   `unreachable` route, or a neighbour that never answered ARP: `host-unreachable-or-prohibited`.
// - Over IPv6 the ICMPv6 codes read differently (docs/busybox-ipv6.md; Linux net/ipv6/icmp.c
//   `tab_unreach`): admin-prohibited, policy-fail and reject-route give `Permission denied`
//   (`admin-prohibited`), no-route gives `Network is unreachable`, address-unreachable `No route to host`.
// - UDP has no handshake: an open port and a dropping policy both stay silent, so a UDP attempt that is
//   not rejected is Connected with detail `udp-no-rejection` — it proves only that nothing rejected it.
//   Only `Refused` (ICMP port unreachable) and `Unreachable` are facts for UDP.
// - A killed tool (exit 143/137 from the `timeout` backstop) counts as a timeout.
// - A DNS check (steps dnsudp, dnstcp) that got a reply is Connected whatever the rcode (NXDOMAIN and
//   REFUSED included: a server answered, so the path is open), with the script's `answer RCODE[ ADDRESS]`
//   as the detail. Without a reply, UDP silence is Blocked here: a DNS server answers every question, so
//   silence is no longer "not rejected". Over TCP, a connect that succeeded but got no reply is Connected
//   with detail `tcp-open-no-answer`: the handshake proves the path, nothing proves a DNS answer.
import type { Outcome } from '../api/types.js';
import type { RawAttempt } from './result-line.js';

export interface Classification {
  outcome: Outcome;
  detail: string;
  httpStatus?: number;
}

type Rule = [RegExp, Outcome, string];

// Connect failures as nc and wget print them, named so that each rule list below picks the ones it
// needs by name (slicing by index silently dropped `Permission denied` when it was inserted).
const REFUSED: Rule = [/Connection refused/i, 'Refused', 'reset-or-port-unreachable'];
const NO_ROUTE: Rule = [/No route to host/i, 'Unreachable', 'host-unreachable-or-prohibited'];
const NET_UNREACHABLE: Rule = [/Network is unreachable/i, 'Unreachable', 'net-unreachable'];
const PROHIBITED: Rule = [/Permission denied/i, 'Unreachable', 'admin-prohibited'];
const TIMEOUT: Rule = [/timed out|punt!/i, 'Blocked', 'timeout'];
const BAD_ADDRESS: Rule = [/bad address/i, 'DNSFailure', 'bad-address'];
/** Rejections on the path (ICMP or ICMPv6), whatever the protocol. */
const REJECTED: Rule[] = [NO_ROUTE, NET_UNREACHABLE, PROHIBITED];

/** Order matters: the first match wins. */
const CONNECT_RULES: Rule[] = [REFUSED, ...REJECTED, TIMEOUT, BAD_ADDRESS];

const UDP_RULES: Rule[] = [
  [/Connection refused/i, 'Refused', 'port-unreachable'],
  ...REJECTED,
  TIMEOUT,
  BAD_ADDRESS,
];

/** nslookup's texts. NXDOMAIN first: with a search list a hit can print misses beside it. Over UDP
 * nslookup prints the ICMP error and then its own `timed out`: the rejection is the fact, so it comes
 * before the timeout. */
const DNS_RULES: Rule[] = [
  [/NXDOMAIN/, 'DNSFailure', 'nxdomain'],
  [/SERVFAIL/, 'DNSFailure', 'resolver-servfail'],
  [/REFUSED|Connection refused/, 'DNSFailure', 'resolver-refused'],
  [/Permission denied/, 'DNSFailure', 'resolver-admin-prohibited'],
  [/Network is unreachable|No route to host/, 'DNSFailure', 'resolver-unreachable'],
  [/timed out|no servers could be reached/i, 'DNSFailure', 'resolver-timeout'],
  [/unreachable|No route to host/i, 'DNSFailure', 'resolver-unreachable'],
];

/** The script's line for a DNS reply (script.ts, "DNS checks"). */
const ANSWER = /^answer ([A-Z0-9]+|\(rcode unknown\))( [0-9.]+)?$/;

/** A DNS question rejected on the path: nslookup over UDP, nc over TCP. */
const QUESTION_REJECTED: Rule[] = [REFUSED, ...REJECTED];
/** A DNS question without a reply or a rejection. */
const QUESTION_SILENT: Rule = [/timed out|no servers could be reached|punt!/i, 'Blocked', 'timeout'];

const KILLED = [137, 143];

function firstMatch(rules: Rule[], message: string): Classification | undefined {
  const rule = rules.find(([re]) => re.test(message));
  return rule === undefined ? undefined : { outcome: rule[1], detail: rule[2] };
}

const unrecognised: Classification = { outcome: 'Error', detail: 'unrecognised-output' };

function connectStep(a: RawAttempt, rules: Rule[], success: Classification): Classification {
  if (a.exitCode === 0) return success;
  if (KILLED.includes(a.exitCode)) return { outcome: 'Blocked', detail: 'timeout' };
  return firstMatch(rules, a.message) ?? unrecognised;
}

function dnsStep(a: RawAttempt): Classification {
  const found = firstMatch(DNS_RULES, a.message);
  if (found !== undefined) return found;
  if (KILLED.includes(a.exitCode)) return { outcome: 'DNSFailure', detail: 'resolver-timeout' };
  // The script stopped at `dns`, so no IPv4 address came back, whatever the exit code says.
  if (a.exitCode === 0) return { outcome: 'DNSFailure', detail: 'no-ipv4-address' };
  return { outcome: 'DNSFailure', detail: 'resolver-error' };
}

/** The TCP connect succeeded (the script only runs wget after `nc -z` said open). */
function httpStep(a: RawAttempt): Classification {
  if (a.httpStatus !== undefined) {
    return { outcome: 'Connected', detail: 'http-response', httpStatus: a.httpStatus };
  }
  if (/download timed out/i.test(a.message) || KILLED.includes(a.exitCode)) {
    return { outcome: 'Connected', detail: 'http-timeout-after-connect' };
  }
  // A policy that arrived between nc and wget, or a listener that went away.
  const failed = a.exitCode === 0 ? undefined : firstMatch(CONNECT_RULES, a.message);
  return failed ?? { outcome: 'Connected', detail: 'http-error-after-connect' };
}

function questionStep(a: RawAttempt): Classification {
  if (a.exitCode === 0 && ANSWER.test(a.message)) return { outcome: 'Connected', detail: a.message };
  const rejected = firstMatch(QUESTION_REJECTED, a.message);
  // Over UDP only an ICMP port unreachable says "refused" (no reset without a connection).
  if (rejected?.outcome === 'Refused' && a.step === 'dnsudp')
    return { outcome: 'Refused', detail: 'port-unreachable' };
  if (rejected !== undefined) return rejected;
  if (a.step === 'dnstcp' && / open\b/.test(a.message))
    return { outcome: 'Connected', detail: 'tcp-open-no-answer' };
  if (KILLED.includes(a.exitCode)) return { outcome: 'Blocked', detail: 'timeout' };
  return firstMatch([QUESTION_SILENT], a.message) ?? unrecognised;
}

export function classifyAttempt(a: RawAttempt): Classification {
  // The shell's "command not found": the image lacks an applet the script needs.
  if (a.exitCode === 127 && a.step !== 'arg') return { outcome: 'Error', detail: 'tool-missing' };
  switch (a.step) {
    case 'arg':
      return { outcome: 'Error', detail: 'invalid-argument' };
    case 'dns':
      return dnsStep(a);
    case 'tcp':
      return connectStep(a, CONNECT_RULES, { outcome: 'Connected', detail: 'tcp-open' });
    case 'udp':
      return connectStep(a, UDP_RULES, { outcome: 'Connected', detail: 'udp-no-rejection' });
    case 'http':
      return httpStep(a);
    case 'dnsudp':
    case 'dnstcp':
      return questionStep(a);
    default:
      return { outcome: 'Error', detail: 'unknown-step' };
  }
}

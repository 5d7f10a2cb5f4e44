// The declared outcome table: where the FAKE kubelet cannot run probes for real (no root, no `ip`/`nft`/
// `dnsmasq`/busybox), a probe pod's log is made of the result lines the test declared per target, in the
// probe script's own format (src/probe/script.ts), so the operator reads them exactly as a real log.
import type { Outcome } from '../../../src/api/types.js';
import { END_MARKER, ERROR_MARKER, RESULT_MARKER } from '../../../src/probe/result-line.js';
import { PROBE_SCRIPT } from '../../../src/probe/script.js';

/** An outcome to synthesize a typical busybox attempt for, `NXDOMAIN` for a name that does not exist, or a
 *  complete result line (starting with `FLOWPROBE1|`, its index is replaced by the probe's position). */
export type DeclaredOutcome = Exclude<Outcome, 'Error'> | 'NXDOMAIN' | `${typeof RESULT_MARKER}${string}`;

/** Keyed by the formatted target (`tcp://HOST:PORT`, `udp://...`, `http://HOST:PORT/PATH`,
 *  `dns://HOST:PORT/NAME`, `dns+tcp://HOST:PORT/NAME`: src/probe/args.ts, formatTarget). */
export type OutcomeTable = Readonly<Record<string, DeclaredOutcome>>;

interface DecodedProbe {
  kind: string;
  host: string;
  port: string;
  path: string;
}

/** The probe arguments of a `sh -c SCRIPT NAME SETTLE PROBE...` argv (KIND|HOST|PORT|TIMEOUT[|PATH]). */
export function decodeProbes(argv: readonly string[]): DecodedProbe[] {
  return argv.slice(5).map((arg) => {
    const [kind = '', host = '', port = '', , path = ''] = arg.split('|');
    return { kind, host, port, path };
  });
}

export function targetOf(p: DecodedProbe): string {
  if (p.kind === 'dns' || p.kind === 'dnstcp') {
    return `${p.kind === 'dns' ? 'dns' : 'dns+tcp'}://${p.host}:${p.port}/${p.path}`;
  }
  return `${p.kind}://${p.host}:${p.port}${p.kind === 'http' ? p.path || '/' : ''}`;
}

/**
 * What a `sh -c ...` container does without a shell to run it: the probe script answers from the table
 * (and refuses a bad settle argument with the script's own error line and exit code 2); any other
 * script cannot run here and exits 126.
 */
export function tableRun(argv: readonly string[], table: OutcomeTable): { text: string; exitCode: number } {
  if (argv[2] !== PROBE_SCRIPT) {
    return {
      text: 'FAKE kubelet: without root only the probe script runs (from the outcome table)\n',
      exitCode: 126,
    };
  }
  if (!/^settle(\|[0-9]+){6}$/.test(argv[4] ?? '')) {
    return { text: `${ERROR_MARKER}invalid settle argument\n`, exitCode: 2 };
  }
  return { text: declaredLog(argv, table), exitCode: 0 };
}

/** The log a probe pod would print; a target missing from the table gets no line (an Error outcome). */
export function declaredLog(argv: readonly string[], table: OutcomeTable): string {
  const probes = decodeProbes(argv);
  const lines = probes.flatMap((p, i) => {
    const declared = table[targetOf(p)];
    if (declared === undefined) return [];
    if (declared.startsWith(RESULT_MARKER)) {
      return [declared.replace(/^FLOWPROBE1\|[0-9]+\|/, `${RESULT_MARKER}${i + 1}|`)];
    }
    const attempt = syntheticAttempt(p, declared as Exclude<DeclaredOutcome, `FLOWPROBE1|${string}`>);
    return [[`${RESULT_MARKER}${i + 1}`, p.kind, p.host, p.port, p.path, '1', '1', attempt].join('|')];
  });
  return [...lines, `${END_MARKER}${probes.length}`, ''].join('\n');
}

const STEPS: Readonly<Record<string, string>> = { udp: 'udp', dns: 'dnsudp', dnstcp: 'dnstcp' };

/** AT,ELAPSED,STEP,RC,ADDRESS,HTTP_STATUS,MESSAGE with busybox's texts (reference/busybox-probe.md). */
function syntheticAttempt(
  p: DecodedProbe,
  outcome: Exclude<DeclaredOutcome, `FLOWPROBE1|${string}`>,
): string {
  const ip = /^[0-9.]+$/.test(p.host) ? p.host : '10.252.255.254';
  const step = STEPS[p.kind] ?? 'tcp';
  // A DNS check over UDP is busybox nslookup (script.ts, "DNS checks"); every other kind fails in nc.
  const tool = step === 'dnsudp' ? 'nslookup: read' : `nc: ${p.host} (${ip}:${p.port})`;
  const fail = (text: string): string => `0,5,${step},1,${ip},,${tool}: ${text}`;
  switch (outcome) {
    case 'Connected':
      if (step === 'dnsudp' || step === 'dnstcp') return `0,5,${step},0,${ip},,answer NOERROR`;
      return p.kind === 'http'
        ? `0,5,http,0,${ip},200,`
        : `0,5,${step},0,${ip},,${p.host} (${ip}:${p.port}) open`;
    case 'Refused':
      return fail('Connection refused');
    case 'Unreachable':
      return fail('No route to host');
    case 'Blocked':
      if (step === 'dnsudp')
        return `0,2000,${step},1,${ip},,;; connection timed out; no servers could be reached`;
      return `0,2000,${step},1,${ip},,nc: ${p.host} (${ip}:${p.port}): Connection timed out`;
    case 'DNSFailure':
      return '0,2000,dns,1,,,;; connection timed out; no servers could be reached';
    case 'NXDOMAIN':
      return `0,5,dns,1,,,** server can't find ${p.host}: NXDOMAIN`;
  }
}

// Targets and their encoding into script arguments. These rules mirror the script's own re-validation
// (script.ts): anything accepted here, the script accepts; the script still checks, because the pod's
// command can be written by other code (or by hand).
import { dnsNameProblem } from './dns-name.js';
import { encodePath, httpPathProblem } from './http-path.js';
import { InvalidTargetError } from './invalid-target-error.js';
import type { ProbeKind, ProbeSpec } from './types.js';
import { hostPort } from './host-port.js';
import { isIPv6 } from './ipv6-literal.js';

export const MAX_TIMEOUT_SECONDS = 60;

const DNS_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$/;
const DOTTED = /^[0-9.]+$/;
const IPV6_PROBLEM = 'not a valid IPv6 address (hex groups and one ::; no zone id, no embedded IPv4)';

export function isIPv4(host: string): boolean {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

/** The reason a host is unusable, or undefined when it is fine. */
export function hostProblem(host: string): string | undefined {
  if (host === '') return 'the host is empty';
  if (DOTTED.test(host)) return isIPv4(host) ? undefined : 'not a valid IPv4 address';
  if (host.includes(':')) return isIPv6(host) ? undefined : IPV6_PROBLEM;
  return DNS_NAME.test(host) ? undefined : 'not a valid DNS name';
}

const KINDS: readonly string[] = ['tcp', 'udp', 'http', 'dns', 'dnstcp'];

/** A DNS check: a question to the target (script.ts, "DNS checks"), not a connect. */
export function isDnsKind(kind: ProbeKind): kind is 'dns' | 'dnstcp' {
  return kind === 'dns' || kind === 'dnstcp';
}

/** Throws InvalidTargetError when the spec is not one the script accepts. */
export function validateProbeSpec(spec: ProbeSpec, label = formatTarget(spec)): ProbeSpec {
  const fail = (reason: string): never => {
    throw new InvalidTargetError(label, reason);
  };
  if (!KINDS.includes(spec.kind)) fail(`unsupported kind '${spec.kind}'`);
  const host = hostProblem(spec.host);
  if (host !== undefined) fail(host);
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535) fail('the port must be 1-65535');
  const t = spec.timeoutSeconds;
  if (!Number.isInteger(t) || t < 1 || t > MAX_TIMEOUT_SECONDS) {
    fail(`the timeout must be a whole number of seconds, 1-${MAX_TIMEOUT_SECONDS}`);
  }
  if (spec.kind === 'http') {
    const path = spec.path === undefined ? 'the path is missing' : httpPathProblem(spec.path);
    if (path !== undefined) fail(path);
  }
  if (spec.kind !== 'http' && spec.path !== undefined) fail('only http targets take a path');
  if (isDnsKind(spec.kind)) {
    const name = spec.name === undefined ? 'the DNS name is missing' : dnsNameProblem(spec.name);
    if (name !== undefined) fail(name);
  } else if (spec.name !== undefined) fail('only dns targets take a name');
  return spec;
}

/**
 * One probe as the script's argument: KIND|HOST|PORT|TIMEOUT[|PATH], the path with "|" sent as %7C (the
 * separator; the same URI to a server). Validates first.
 */
export function encodeProbe(spec: ProbeSpec): string {
  validateProbeSpec(spec);
  const fields = [spec.kind, spec.host, String(spec.port), String(spec.timeoutSeconds)];
  if (spec.kind === 'http') fields.push(encodePath(spec.path ?? '/'));
  if (isDnsKind(spec.kind)) fields.push(spec.name ?? '');
  return fields.join('|');
}

export function formatTarget(spec: ProbeSpec): string {
  const where = hostPort(spec.host, spec.port);
  if (isDnsKind(spec.kind)) return `${spec.kind === 'dns' ? 'dns' : 'dns+tcp'}://${where}/${spec.name ?? ''}`;
  return `${spec.kind}://${where}${spec.kind === 'http' ? (spec.path ?? '/') : ''}`;
}

const SCHEMES: Record<string, ProbeKind> = {
  'tcp:': 'tcp',
  'udp:': 'udp',
  'http:': 'http',
  'dns:': 'dns',
  'dns+tcp:': 'dnstcp',
};
const DEFAULT_PORTS: Partial<Record<ProbeKind, number>> = { http: 80, dns: 53, dnstcp: 53 };

/**
 * Parses `tcp://HOST:PORT`, `udp://HOST:PORT`, `http://HOST[:PORT][/PATH]` (port 80 and path `/` by
 * default), `dns://SERVER[:PORT]/NAME` and `dns+tcp://SERVER[:PORT]/NAME` (port 53 by default); HOST and
 * SERVER are a DNS name, an IPv4 address or an IPv6 address in brackets. Hand-written rather than
 * `new URL`, which would accept and rewrite far more than we allow.
 */
export function parseTarget(text: string, timeoutSeconds: number): ProbeSpec {
  const fail = (reason: string): never => {
    throw new InvalidTargetError(text, reason);
  };
  // An IPv6 address comes in brackets (RFC 3986 section 3.2.2): `tcp://[fd00::1]:8080`.
  const authority = /^[a-z][a-z0-9+.-]*:\/\/([^/]*)/i.exec(text)?.[1] ?? '';
  if (!authority.startsWith('[') && authority.split(':').length > 2) {
    fail('an IPv6 address goes in brackets: [ADDRESS]:PORT');
  }
  const m = /^([a-z][a-z0-9+.-]*:)\/\/(\[[^\]/]*\]|[^/:[\]]*)(?::([^/]*))?(\/.*)?$/i.exec(text);
  if (m === null) return fail(`expected ${FORMS}`);
  const [, scheme = '', hostText = '', portText, path] = m;
  const host = hostText.startsWith('[') ? hostText.slice(1, -1) : hostText;
  if (hostText.startsWith('[') && !host.includes(':')) fail('only an IPv6 address goes in brackets');
  const kind = SCHEMES[scheme.toLowerCase()];
  if (kind === undefined) return fail(`unsupported scheme '${scheme.slice(0, -1)}' (use ${SCHEME_NAMES})`);
  const defaultPort = DEFAULT_PORTS[kind];
  if (portText === undefined && defaultPort === undefined) fail('a port is required');
  const port =
    portText === undefined ? (defaultPort ?? NaN) : /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  const spec: ProbeSpec = { kind, host, port, timeoutSeconds };
  if (kind === 'http') spec.path = path ?? '/';
  else if (isDnsKind(kind)) spec.name = path === undefined ? '' : path.slice(1);
  else if (path !== undefined && path !== '/') fail(`${kind} targets take no path`);
  return validateProbeSpec(spec, text);
}

const FORMS =
  'tcp://HOST:PORT, udp://HOST:PORT, http://HOST:PORT/PATH, dns://SERVER[:PORT]/NAME or dns+tcp://SERVER[:PORT]/NAME';
const SCHEME_NAMES = 'tcp, udp, http, dns or dns+tcp';

// Targets and their encoding into script arguments. These rules mirror the script's own re-validation
// (script.ts): anything accepted here, the script accepts; the script still checks, because the pod's
// command can be written by other code (or by hand).
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

/** Throws InvalidTargetError when the spec is not one the script accepts. */
export function validateProbeSpec(spec: ProbeSpec, label = formatTarget(spec)): ProbeSpec {
  const fail = (reason: string): never => {
    throw new InvalidTargetError(label, reason);
  };
  if (!['tcp', 'udp', 'http'].includes(spec.kind)) fail(`unsupported kind '${spec.kind}'`);
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
  return fields.join('|');
}

export function formatTarget(spec: ProbeSpec): string {
  return `${spec.kind}://${hostPort(spec.host, spec.port)}${spec.kind === 'http' ? (spec.path ?? '/') : ''}`;
}

const SCHEMES: Record<string, ProbeKind> = { 'tcp:': 'tcp', 'udp:': 'udp', 'http:': 'http' };

/**
 * Parses `tcp://HOST:PORT`, `udp://HOST:PORT` or `http://HOST[:PORT][/PATH]` (port 80 and path `/` by
 * default); HOST is a DNS name, an IPv4 address or an IPv6 address in brackets. Hand-written rather than `new URL`, which would accept and rewrite far more than we allow.
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
  if (m === null) return fail('expected tcp://HOST:PORT, udp://HOST:PORT or http://HOST:PORT/PATH');
  const [, scheme = '', hostText = '', portText, path] = m;
  const host = hostText.startsWith('[') ? hostText.slice(1, -1) : hostText;
  if (hostText.startsWith('[') && !host.includes(':')) fail('only an IPv6 address goes in brackets');

  const kind = SCHEMES[scheme.toLowerCase()];
  if (kind === undefined) return fail(`unsupported scheme '${scheme.slice(0, -1)}' (use tcp, udp or http)`);
  if (portText === undefined && kind !== 'http') fail('a port is required');
  const port = portText === undefined ? 80 : /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (kind !== 'http' && path !== undefined && path !== '/') fail(`${kind} targets take no path`);
  const spec: ProbeSpec = { kind, host, port, timeoutSeconds };
  if (kind === 'http') spec.path = path ?? '/';
  return validateProbeSpec(spec, text);
}

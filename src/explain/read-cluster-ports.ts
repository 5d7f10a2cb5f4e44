// The port matches of cluster-scoped policy rules, both API versions, into the engine's ClusterPort,
// checking what the CRD schemas would (network-policy-api commit 0eec1b0e):
// - v1alpha2 `protocols[]`: exactly one of tcp / udp / sctp / destinationNamedPort; tcp|udp|sctp need a
//   destinationPort (MinProperties=1) with exactly one of number (1..65535) and range (start < end).
// - v1alpha1 `ports[]`: exactly one of portNumber {protocol=TCP, port}, portRange {protocol=TCP, start,
//   end} and namedPort.
import type { ClusterPort, PolicyProtocol } from '../policy/index.js';
import type { Json, Problems } from './narrow.js';

const MAX_PORT = 65535;

export function readProtocols(v: unknown, path: string, p: Problems): ClusterPort[] | undefined {
  const list = p.array(v, path);
  if (list === undefined) return undefined;
  if (list.length === 0) p.add(path, 'must have at least 1 item');
  if (list.length > 25) p.add(path, 'must have at most 25 items');
  return list.flatMap((x, i) => {
    const at = `${path}[${i}]`;
    const r = p.record(x, at) ?? {};
    const set = exactlyOne(r, ['tcp', 'udp', 'sctp', 'destinationNamedPort'], at, p);
    if (set === 'destinationNamedPort') {
      const name = p.string(r.destinationNamedPort, `${at}.destinationNamedPort`);
      return name === undefined ? [] : [{ namedPort: name }];
    }
    if (set === undefined) return [];
    const protocol = set.toUpperCase() as PolicyProtocol;
    const body = p.record(r[set], `${at}.${set}`) ?? {};
    if (body.destinationPort === undefined) {
      p.add(`${at}.${set}`, 'must set destinationPort');
      return [];
    }
    return readDestinationPort(body.destinationPort, `${at}.${set}.destinationPort`, protocol, p);
  });
}

function readDestinationPort(v: unknown, path: string, protocol: PolicyProtocol, p: Problems): ClusterPort[] {
  const r = p.record(v, path) ?? {};
  const set = exactlyOne(r, ['number', 'range'], path, p);
  if (set === 'number') {
    const port = portNumber(r.number, `${path}.number`, p);
    return port === undefined ? [] : [{ protocol, port }];
  }
  if (set !== 'range') return [];
  const range = p.record(r.range, `${path}.range`) ?? {};
  const start = portNumber(range.start, `${path}.range.start`, p, true);
  const end = portNumber(range.end, `${path}.range.end`, p, true);
  if (start === undefined || end === undefined) return [];
  if (start >= end) p.add(`${path}.range`, 'Start port must be less than End port');
  return [{ protocol, port: start, endPort: end }];
}

export function readV1alpha1Ports(v: unknown, path: string, p: Problems): ClusterPort[] | undefined {
  const list = p.array(v, path);
  if (list === undefined) return undefined;
  if (list.length === 0) p.add(path, 'must have at least 1 item');
  if (list.length > 100) p.add(path, 'must have at most 100 items');
  return list.flatMap((x, i): ClusterPort[] => {
    const at = `${path}[${i}]`;
    const r = p.record(x, at) ?? {};
    const set = exactlyOne(r, ['portNumber', 'portRange', 'namedPort'], at, p);
    if (set === 'namedPort') {
      const name = p.string(r.namedPort, `${at}.namedPort`);
      return name === undefined ? [] : [{ namedPort: name }];
    }
    if (set === undefined) return [];
    const body = p.record(r[set], `${at}.${set}`) ?? {};
    const protocol = p.protocol(body.protocol, `${at}.${set}.protocol`) ?? 'TCP';
    if (set === 'portNumber') {
      const port = portNumber(body.port, `${at}.portNumber.port`, p, true);
      return port === undefined ? [] : [{ protocol, port }];
    }
    const start = portNumber(body.start, `${at}.portRange.start`, p, true);
    const end = portNumber(body.end, `${at}.portRange.end`, p, true);
    if (start === undefined || end === undefined) return [];
    // The v1alpha1 type documents start < end but its schema does not enforce it; a reversed range
    // matches no port here, as it would match none in a dataplane.
    return [{ protocol, port: start, endPort: end }];
  });
}

function portNumber(v: unknown, path: string, p: Problems, required = false): number | undefined {
  if (v === undefined || v === null) {
    if (required) p.add(path, 'is required');
    return undefined;
  }
  const n = p.int(v, path);
  if (n !== undefined && (n < 1 || n > MAX_PORT)) p.add(path, `must be between 1 and ${MAX_PORT}`);
  return n;
}

/** The one field of a union set (MinProperties = MaxProperties = 1); a problem otherwise. */
export function exactlyOne<K extends string>(
  r: Json,
  fields: readonly K[],
  path: string,
  p: Problems,
): K | undefined {
  const set = fields.filter((f) => r[f] !== undefined && r[f] !== null);
  if (set.length !== 1) {
    p.add(
      path,
      `must set exactly one of ${fields.join(', ')}${set.length > 1 ? ` (has ${set.join(', ')})` : ''}`,
    );
  }
  return set.length === 1 ? set[0] : undefined;
}

// CIDR math for ipBlock, IPv4 and IPv6, on bigints. An IPv4 address never matches an IPv6 block and
// vice versa (no IPv4-mapped IPv6 translation): NetworkPolicy implementations compare within a family.
// A block with host bits set (10.1.2.3/8) is masked to its network, as kube-apiserver's older validation
// accepted such values and dataplanes apply the prefix.

export interface Cidr {
  family: 4 | 6;
  /** The network address, host bits cleared. */
  network: bigint;
  prefix: number;
  text: string;
}

export interface IpAddress {
  family: 4 | 6;
  value: bigint;
}

export class CidrParseError extends Error {
  override readonly name = 'CidrParseError';
}

export function parseIp(text: string): IpAddress | undefined {
  if (text.includes(':')) {
    const value = parseIpv6(text);
    return value === undefined ? undefined : { family: 6, value };
  }
  const value = parseIpv4(text);
  return value === undefined ? undefined : { family: 4, value };
}

export function parseCidr(text: string): Cidr {
  const slash = text.indexOf('/');
  if (slash < 0) throw new CidrParseError(`${JSON.stringify(text)} is not a CIDR (no prefix length)`);
  const ip = parseIp(text.slice(0, slash));
  const prefixText = text.slice(slash + 1);
  if (ip === undefined) throw new CidrParseError(`${JSON.stringify(text)} has an invalid address`);
  const width = ip.family === 4 ? 32 : 128;
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= width)) {
    throw new CidrParseError(`${JSON.stringify(text)} has an invalid prefix length`);
  }
  const shift = BigInt(width - prefix);
  return { family: ip.family, network: (ip.value >> shift) << shift, prefix, text };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.family !== ip.family) return false;
  const shift = BigInt((ip.family === 4 ? 32 : 128) - cidr.prefix);
  return ip.value >> shift === cidr.network >> shift;
}

function parseIpv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    // No leading zeros: Go's net/netip (and so Kubernetes) rejects them as ambiguous octal.
    if (!/^(0|[1-9]\d{0,2})$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(p);
  }
  return value;
}

function parseIpv6(text: string): bigint | undefined {
  let groups = text.split(':');
  // An embedded IPv4 tail (::ffff:10.0.0.1) counts as two groups.
  const last = groups[groups.length - 1] ?? '';
  if (last.includes('.')) {
    const v4 = parseIpv4(last);
    if (v4 === undefined) return undefined;
    groups = [...groups.slice(0, -1), (v4 >> 16n).toString(16), (v4 & 0xffffn).toString(16)];
  }
  const expanded = expandGap(groups.join(':'));
  if (expanded?.length !== 8) return undefined;
  let value = 0n;
  for (const g of expanded) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(`0x${g}`);
  }
  return value;
}

/** Expands the one `::` of an IPv6 address into zero groups; undefined when there are two. */
function expandGap(text: string): string[] | undefined {
  const count = text.split('::').length - 1;
  if (count > 1) return undefined;
  if (count === 0) return text.split(':');
  const [head, tail] = text.split('::') as [string, string];
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const zeros = 8 - h.length - t.length;
  if (zeros < 1) return undefined;
  return [...h, ...Array<string>(zeros).fill('0'), ...t];
}

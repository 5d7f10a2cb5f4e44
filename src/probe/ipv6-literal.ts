// An IPv6 address as the probe takes it: the textual forms of RFC 4291 section 2.2 (hex groups of one to
// four digits, eight of them, or fewer around a single `::`), and nothing else. No zone id (`%eth0`:
// busybox nc answers "bad address" for it, measured in docs/busybox-ipv6.md), no embedded IPv4 tail
// (`::ffff:10.0.0.1`: an IPv4-mapped address is an IPv4 flow in disguise), no brackets. The probe script's
// `ipv6()` applies the same rule, so anything accepted here the script accepts.

const GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function isIPv6(host: string): boolean {
  if (host.length < 2 || host.length > 39 || /[^0-9A-Fa-f:]/.test(host)) return false;
  const halves = host.split('::');
  if (halves.length > 2) return false;
  const groups = (half: string | undefined): string[] | undefined =>
    half === undefined || half === '' ? [] : half.split(':');
  const [head, tail] = [groups(halves[0]), groups(halves[1])];
  if (head === undefined || tail === undefined) return false;
  const all = [...head, ...tail];
  if (!all.every((g) => GROUP.test(g))) return false;
  return halves.length === 2 ? all.length <= 7 : all.length === 8;
}

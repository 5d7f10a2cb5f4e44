// The name a DNS check asks about (a flow's `dns.name`, the NAME of `dns://SERVER/NAME`). The script
// re-checks it (script.ts, `dnsname_ok`) and builds its TCP query from it byte by byte, so it must be a
// plain RFC 1123 host name: letters, digits and "-" in labels of 1-63 characters, at most 253 characters,
// optionally fully qualified with a trailing dot (the probe asks for it fully qualified either way).

/** The same rule as a pattern that Go RE2, ajv and CEL read alike (no look-around); length is apart. */
export const DNS_NAME_PATTERN =
  '^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?([.][A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?)*[.]?$';
export const DNS_NAME_MAX_LENGTH = 253;
export const DNS_NAME_DESCRIPTION =
  'a DNS name (labels of 1-63 letters, digits and "-", dot-separated, at most 253 characters, an optional trailing dot)';

const DNS_NAME = new RegExp(DNS_NAME_PATTERN);

/** Why `name` cannot be asked about, or undefined when it can. */
export function dnsNameProblem(name: string): string | undefined {
  if (name === '') return 'the DNS name is empty';
  if (name.length > DNS_NAME_MAX_LENGTH)
    return `the DNS name is longer than ${DNS_NAME_MAX_LENGTH} characters`;
  return DNS_NAME.test(name) ? undefined : `not ${DNS_NAME_DESCRIPTION}`;
}

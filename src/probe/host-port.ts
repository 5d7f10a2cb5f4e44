// `host:port` as people and URLs write it: an IPv6 address goes in brackets (RFC 3986 section 3.2.2), so
// that `[2001:db8::1]:8080` cannot be read as an address ending in `:8080`.

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

import { strict as assert } from 'node:assert';
import { encodeProbe, formatTarget, parseTarget } from '../../src/probe/args.js';
import { InvalidTargetError } from '../../src/probe/invalid-target-error.js';
import type { ProbeSpec } from '../../src/probe/types.js';

describe('probe targets', () => {
  const good: [string, ProbeSpec][] = [
    ['tcp://10.0.0.1:8080', { kind: 'tcp', host: '10.0.0.1', port: 8080, timeoutSeconds: 2 }],
    [
      'udp://kube-dns.kube-system:53',
      { kind: 'udp', host: 'kube-dns.kube-system', port: 53, timeoutSeconds: 2 },
    ],
    [
      'http://api:8080/healthz',
      { kind: 'http', host: 'api', port: 8080, path: '/healthz', timeoutSeconds: 2 },
    ],
    ['http://api', { kind: 'http', host: 'api', port: 80, path: '/', timeoutSeconds: 2 }],
    [
      'http://api.example.com./a?b=c&d=%20',
      { kind: 'http', host: 'api.example.com.', port: 80, path: '/a?b=c&d=%20', timeoutSeconds: 2 },
    ],
    ['HTTP://Api:1/', { kind: 'http', host: 'Api', port: 1, path: '/', timeoutSeconds: 2 }],
    // RFC 3986 sub-delims are path characters: they reach wget as one argv element, never a shell.
    [
      "http://api/odata/Products?$top=1&$filter=(a eq 'b')".replace(' ', '%20').replace(' ', '%20'),
      {
        kind: 'http',
        host: 'api',
        port: 80,
        path: "/odata/Products?$top=1&$filter=(a%20eq%20'b')",
        timeoutSeconds: 2,
      },
    ],
    ['tcp://[fd00::1]:8080', { kind: 'tcp', host: 'fd00::1', port: 8080, timeoutSeconds: 2 }],
    [
      'udp://[FD00:0:0:0:0:0:0:35]:53',
      { kind: 'udp', host: 'FD00:0:0:0:0:0:0:35', port: 53, timeoutSeconds: 2 },
    ],
    [
      'http://[fd00::1]:80/healthz?x=1',
      { kind: 'http', host: 'fd00::1', port: 80, path: '/healthz?x=1', timeoutSeconds: 2 },
    ],
    ['http://[::1]', { kind: 'http', host: '::1', port: 80, path: '/', timeoutSeconds: 2 }],
    [
      'http://h/$(reboot);*!',
      { kind: 'http', host: 'h', port: 80, path: '/$(reboot);*!', timeoutSeconds: 2 },
    ],
    [
      'dns://10.96.0.10/kubernetes.default.svc.cluster.local',
      {
        kind: 'dns',
        host: '10.96.0.10',
        port: 53,
        name: 'kubernetes.default.svc.cluster.local',
        timeoutSeconds: 2,
      },
    ],
    [
      'dns+tcp://resolver.example:5353/Example.COM.',
      { kind: 'dnstcp', host: 'resolver.example', port: 5353, name: 'Example.COM.', timeoutSeconds: 2 },
    ],
  ];
  for (const [text, spec] of good) {
    it(`reads ${text}`, () => {
      assert.deepEqual(parseTarget(text, 2), spec);
    });
  }

  const bad: [string, RegExp][] = [
    ['tcp://10.0.0.1:0', /port must be 1-65535/],
    ['tcp://10.0.0.1:65536', /port must be 1-65535/],
    ['tcp://10.0.0.1:80a', /port must be 1-65535/],
    ['tcp://10.0.0.1', /a port is required/],
    ['ftp://host:21', /unsupported scheme 'ftp'/],
    ['10.0.0.1:80', /expected tcp:\/\/HOST:PORT/],
    ['tcp://300.1.1.1:80', /not a valid IPv4 address/],
    ['tcp://-e:80', /not a valid DNS name/],
    ['tcp://a_b:80', /not a valid DNS name/],
    ['tcp://:80', /the host is empty/],
    ['tcp://::1:80', /an IPv6 address goes in brackets/],
    ['tcp://[10.0.0.1]:80', /only an IPv6 address goes in brackets/],
    ['tcp://[fe80::1%eth0]:80', /not a valid IPv6 address/],
    ['tcp://[::ffff:10.0.0.1]:80', /not a valid IPv6 address/],
    ['tcp://[1:2:3:4:5:6:7:8:9]:80', /not a valid IPv6 address/],
    ['tcp://[1::2::3]:80', /not a valid IPv6 address/],
    ['tcp://[fd00::1]', /a port is required/],
    ['tcp://host:80/path', /tcp targets take no path/],
    ['http://host:80/a b', /the path must be an absolute path and optional query/],
    ['http://host:80/a"b', /the path must be an absolute path and optional query/],
    ['http://host:80/a`b`', /the path must be an absolute path and optional query/],
    ['http://host:80/a#b', /the path must be an absolute path and optional query/],
    ['http://host:80/a%zz', /the path must be an absolute path and optional query/],
    ['http://host:80/a\\b', /the path must be an absolute path and optional query/],
    [`http://host:80/${'|'.repeat(400)}`, /the path is 1201 characters long with \| sent as %7C/],
    ['dns://10.0.0.1', /the DNS name is empty/],
    ['dns://10.0.0.1/', /the DNS name is empty/],
    ['dns://10.0.0.1/a;reboot', /not a DNS name/],
    ['dns+tcp://10.0.0.1/$(id)', /not a DNS name/],
    ['dns://10.0.0.1/a..b', /not a DNS name/],
    ['dns://10.0.0.1/-a', /not a DNS name/],
    ['dns://10.0.0.1/a_b', /not a DNS name/],
    [`dns://10.0.0.1/${'a'.repeat(64)}.b`, /not a DNS name/],
    [`dns://10.0.0.1/${'a.'.repeat(127)}a`, /longer than 253 characters/],
    ['dns://10.0.0.1:0/a', /port must be 1-65535/],
    ['dns+udp://10.0.0.1/a', /unsupported scheme 'dns\+udp'/],
  ];
  for (const [text, message] of bad) {
    it(`refuses ${text} with a clear reason`, () => {
      assert.throws(
        () => parseTarget(text, 2),
        (err: unknown) =>
          err instanceof InvalidTargetError && message.test(err.message) && err.target === text,
      );
    });
  }

  it('refuses a timeout outside 1-60 seconds', () => {
    assert.throws(() => parseTarget('tcp://a:1', 0), /timeout/);
    assert.throws(() => parseTarget('tcp://a:1', 61), /timeout/);
  });

  it('encodes a probe as one script argument, with the path last', () => {
    assert.equal(encodeProbe(parseTarget('tcp://10.0.0.1:80', 3)), 'tcp|10.0.0.1|80|3');
    assert.equal(encodeProbe(parseTarget('http://api:8080/h?x=1', 2)), 'http|api|8080|2|/h?x=1');
  });

  it('sends a | in the path as %7C, the same URI, since | separates the fields of the argument', () => {
    assert.equal(encodeProbe(parseTarget('http://api/q?in=a|b', 2)), 'http|api|80|2|/q?in=a%7Cb');
  });

  it('refuses to encode a spec that bypassed parsing', () => {
    const spec = { kind: 'tcp', host: 'a|b', port: 1, timeoutSeconds: 2 } as const;
    assert.throws(() => encodeProbe(spec), InvalidTargetError);
  });

  it('formats a spec back into a target', () => {
    assert.equal(formatTarget(parseTarget('http://api', 2)), 'http://api:80/');
    assert.equal(formatTarget(parseTarget('dns://10.0.0.1/a.b', 2)), 'dns://10.0.0.1:53/a.b');
    assert.equal(formatTarget(parseTarget('dns+tcp://r:54/a.', 2)), 'dns+tcp://r:54/a.');
    assert.equal(formatTarget(parseTarget('tcp://[fd00::1]:53', 2)), 'tcp://[fd00::1]:53');
    assert.equal(encodeProbe(parseTarget('http://[fd00::1]:8080/x', 2)), 'http|fd00::1|8080|2|/x');
    assert.equal(formatTarget(parseTarget('dns://[fd00::53]/a.b', 2)), 'dns://[fd00::53]:53/a.b');
    assert.equal(encodeProbe(parseTarget('dns+tcp://[fd00::53]:54/a', 2)), 'dnstcp|fd00::53|54|2|a');
  });

  it('encodes a DNS check with its name last', () => {
    assert.equal(encodeProbe(parseTarget('dns+tcp://10.0.0.1/a.b.', 2)), 'dnstcp|10.0.0.1|53|2|a.b.');
  });

  it('refuses a name on a connect and a DNS check without one', () => {
    const tcp = { kind: 'tcp', host: 'a', port: 1, name: 'b', timeoutSeconds: 2 } as const;
    const dns = { kind: 'dns', host: 'a', port: 53, timeoutSeconds: 2 } as const;
    assert.throws(() => encodeProbe(tcp), /only dns targets take a name/);
    assert.throws(() => encodeProbe(dns), /the DNS name is missing/);
  });
});

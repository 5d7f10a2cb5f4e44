import { strict as assert } from 'node:assert';
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { parse, parseAllDocuments } from 'yaml';
import type { ConnectivityTest, Flow } from '../../src/api/types.js';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { DNS_NAME_DESCRIPTION } from '../../src/probe/dns-name.js';
import { HTTP_PATH_DESCRIPTION } from '../../src/probe/http-path.js';

const FIXTURES = new URL('../fixtures/api/', import.meta.url);

/** A valid test to break one field at a time. */
function valid(): ConnectivityTest {
  return {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 'api-baseline', namespace: 'production', labels: { team: 'net' } },
    spec: {
      interval: '5m',
      flows: [
        {
          name: 'frontend-to-api',
          from: { podSelector: { matchLabels: { app: 'web-frontend' } } },
          to: { podSelector: { matchLabels: { app: 'api-backend' } }, namespace: 'production' },
          port: 8080,
          http: { path: '/healthz' },
          expect: 'Allowed',
        },
      ],
    },
  };
}

const FLOW = valid().spec.flows[0]!;
const manyFlows = (n: number): Flow[] => Array.from({ length: n }, (_, i) => ({ ...FLOW, name: `f${i}` }));

/** Sets (or, with undefined, deletes) the field at a path such as `spec.flows[0].port` in a copy. */
function edit(test: ConnectivityTest, edits: [string, unknown][]): unknown {
  const copy = structuredClone(test) as unknown as Record<string, unknown>;
  for (const [path, value] of edits) {
    const keys = path.split(/\.|\[|\]\.?/).filter((k) => k !== '');
    const last = keys.pop()!;
    const parent = keys.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, copy);
    if (value === undefined) Reflect.deleteProperty(parent, last);
    else parent[last] = value;
  }
  return copy;
}

const f0 = 'spec.flows[0]';
const CASES: { breaks: string; edits: [string, unknown][]; problems: string[] }[] = [
  { breaks: 'a port of 0', edits: [[`${f0}.port`, 0]], problems: ['spec.flows[0].port: must be 1..65535'] },
  {
    breaks: 'a port of 65536',
    edits: [[`${f0}.port`, 65536]],
    problems: ['spec.flows[0].port: must be 1..65535'],
  },
  {
    breaks: 'a port given as text',
    edits: [[`${f0}.port`, '8080']],
    problems: ['spec.flows[0].port: must be an integer'],
  },
  {
    breaks: 'an unknown protocol',
    edits: [[`${f0}.protocol`, 'SCTP']],
    problems: ['spec.flows[0].protocol: must be one of: TCP, UDP'],
  },
  {
    breaks: 'a missing expectation',
    edits: [[`${f0}.expect`, undefined]],
    problems: ['spec.flows[0].expect: is required'],
  },
  {
    breaks: 'a misspelt field',
    edits: [
      [`${f0}.expected`, 'Allowed'],
      [`${f0}.expect`, undefined],
    ],
    problems: ['spec.flows[0].expect: is required', 'spec.flows[0].expected: is not a known field'],
  },
  {
    breaks: 'an upper-case flow name',
    edits: [[`${f0}.name`, 'Frontend']],
    problems: [
      'spec.flows[0].name: must be a DNS-1123 label (lowercase letters, digits and "-", starting and ending alphanumeric)',
    ],
  },
  {
    breaks: 'a flow name of 64 characters',
    edits: [[`${f0}.name`, 'a'.repeat(64)]],
    problems: ['spec.flows[0].name: must be at most 63 characters'],
  },
  {
    breaks: 'a service name starting with a digit',
    edits: [[`${f0}.to`, { service: '1api' }]],
    problems: [
      'spec.flows[0].to.service: must be a DNS-1035 label (lowercase letters, digits and "-", starting with a letter)',
    ],
  },
  {
    breaks: 'an IP address that is none',
    edits: [[`${f0}.to`, { ip: '10.0.0.256' }]],
    problems: ['spec.flows[0].to.ip: must be an IPv4 address or an IPv6 address'],
  },
  {
    breaks: 'an IP address with a namespace',
    edits: [[`${f0}.to`, { ip: '10.0.0.1', namespace: 'x' }]],
    problems: ['spec.flows[0].to.namespace: applies only to a podSelector or service target'],
  },
  {
    breaks: 'a host given as an IP address',
    edits: [[`${f0}.to`, { host: '10.0.0.1' }]],
    problems: ['spec.flows[0].to.host: must be a host name; put an IP address in ip'],
  },
  {
    breaks: 'two targets',
    edits: [[`${f0}.to.service`, 'api']],
    problems: ['spec.flows[0].to: must set exactly one of podSelector, service, host or ip'],
  },
  {
    breaks: 'no target',
    edits: [[`${f0}.to`, {}]],
    problems: ['spec.flows[0].to: must set exactly one of podSelector, service, host or ip'],
  },
  {
    breaks: 'two identities',
    edits: [[`${f0}.from.labels`, { app: 'x' }]],
    problems: ['spec.flows[0].from: must set exactly one of podSelector or labels'],
  },
  {
    breaks: 'an empty identity selector',
    edits: [[`${f0}.from`, { podSelector: {} }]],
    problems: [
      'spec.flows[0].from.podSelector: must not be empty: an empty selector matches every pod, so the probe would borrow the labels of any pod',
    ],
  },
  {
    breaks: 'a label value with a space',
    edits: [[`${f0}.from`, { labels: { app: 'a b' } }]],
    problems: [
      'spec.flows[0].from.labels.app: must be a label value (at most 63 alphanumerics, "-", "_" or ".", starting and ending alphanumeric)',
    ],
  },
  {
    breaks: 'a label key with a space',
    edits: [[`${f0}.from`, { labels: { 'my app': 'a' } }]],
    problems: [
      'spec.flows[0].from.labels: every key must be a label key (an optional DNS subdomain and "/", then at most 63 alphanumerics, "-", "_" or ".")',
    ],
  },
  {
    breaks: 'In without values',
    edits: [[`${f0}.to.podSelector`, { matchExpressions: [{ key: 'app', operator: 'In' }] }]],
    problems: [
      'spec.flows[0].to.podSelector.matchExpressions[0].values: must be non-empty for In and NotIn, and empty for Exists and DoesNotExist',
    ],
  },
  {
    breaks: 'a DNS check with an HTTP request',
    edits: [[`${f0}.dns`, { name: 'kubernetes.default.svc.cluster.local' }]],
    problems: ['spec.flows[0].dns: a flow is either a DNS check or an HTTP request, not both'],
  },
  {
    breaks: 'a DNS check name with a character the probe cannot carry',
    edits: [
      [`${f0}.http`, undefined],
      [`${f0}.dns`, { name: 'a;reboot' }],
    ],
    problems: [`spec.flows[0].dns.name: must be ${DNS_NAME_DESCRIPTION}`],
  },
  {
    breaks: 'a DNS check name longer than 253 characters',
    edits: [
      [`${f0}.http`, undefined],
      [`${f0}.dns`, { name: `${'a.'.repeat(127)}a` }],
    ],
    problems: ['spec.flows[0].dns.name: must be at most 253 characters'],
  },
  {
    breaks: 'a DNS check without a name',
    edits: [
      [`${f0}.http`, undefined],
      [`${f0}.dns`, {}],
    ],
    problems: ['spec.flows[0].dns.name: is required'],
  },
  {
    breaks: 'http over UDP',
    edits: [[`${f0}.protocol`, 'UDP']],
    problems: ['spec.flows[0].http: applies only to protocol TCP'],
  },
  {
    breaks: 'an http path without a leading slash',
    edits: [[`${f0}.http.path`, 'healthz']],
    problems: [`spec.flows[0].http.path: must be ${HTTP_PATH_DESCRIPTION}`],
  },
  {
    breaks: 'an http path with a space',
    edits: [[`${f0}.http.path`, '/a b']],
    problems: [`spec.flows[0].http.path: must be ${HTTP_PATH_DESCRIPTION}`],
  },
  {
    breaks: 'an http path with a bad percent escape',
    edits: [[`${f0}.http.path`, '/100%']],
    problems: [`spec.flows[0].http.path: must be ${HTTP_PATH_DESCRIPTION}`],
  },
  {
    breaks: 'an http path too long for the probe once | is sent as %7C',
    edits: [[`${f0}.http.path`, `/${'a'.repeat(1021)}|`]],
    problems: [
      'spec.flows[0].http.path: must be at most 1024 characters, each | counting as 3 (the probe sends it as %7C)',
    ],
  },
  {
    breaks: 'an IPv4-mapped IPv6 address, which is an IPv4 flow in disguise',
    edits: [[`${f0}.to`, { ip: '::ffff:10.0.0.1' }]],
    problems: [
      'spec.flows[0].to.ip: must be a plain IPv4 or IPv6 address: write an IPv4-mapped address (::ffff:a.b.c.d) as IPv4',
    ],
  },
  {
    breaks: 'an ipFamily that is not the family of the address',
    edits: [
      [`${f0}.to`, { ip: '10.0.0.1' }],
      [`${f0}.ipFamily`, 'IPv6'],
    ],
    problems: ['spec.flows[0].ipFamily: must be the family of to.ip'],
  },
  {
    breaks: 'an identity with a reserved flowprobe.dev/ label key',
    edits: [[`${f0}.from`, { labels: { app: 'web', 'flowprobe.dev/test': 'other' } }]],
    problems: [
      "spec.flows[0].from.labels: must not use keys under flowprobe.dev/, which flowprobe reserves for its probe pods' marks: flowprobe.dev/test",
    ],
  },
  {
    breaks: 'a flow timeout of 1 second',
    edits: [[`${f0}.timeoutSeconds`, 1]],
    problems: ['spec.flows[0].timeoutSeconds: must be 2..60'],
  },
  {
    breaks: 'a start-up grace above a minute',
    edits: [['spec.startupGraceSeconds', 61]],
    problems: ['spec.startupGraceSeconds: must be 0..60'],
  },
  {
    breaks: 'an interval below 30s',
    edits: [['spec.interval', '10s']],
    problems: ['spec.interval: must be at least 30s'],
  },
  {
    breaks: 'an interval with days',
    edits: [['spec.interval', '1d']],
    problems: ['spec.interval: must be a duration such as 30s, 5m or 1h30m'],
  },
  {
    breaks: 'an unknown refusedMeans',
    edits: [['spec.refusedMeans', 'Refused']],
    problems: ['spec.refusedMeans: must be one of: Allowed, Denied'],
  },
  { breaks: 'no flows', edits: [['spec.flows', []]], problems: ['spec.flows: must list at least 1 item'] },
  {
    breaks: 'more than 100 flows',
    edits: [['spec.flows', manyFlows(101)]],
    problems: ['spec.flows: must list at most 100 items'],
  },
  {
    breaks: 'a repeated flow name',
    edits: [['spec.flows[1]', FLOW]],
    problems: ['spec.flows: flow names must be unique: frontend-to-api appears more than once'],
  },
  { breaks: 'a missing spec', edits: [['spec', undefined]], problems: ['spec: is required'] },
  {
    breaks: 'a missing name',
    edits: [['metadata.name', undefined]],
    problems: ['metadata.name: is required'],
  },
  {
    breaks: 'another API version',
    edits: [['apiVersion', 'flowprobe.dev/v1']],
    problems: ['apiVersion: must be flowprobe.dev/v1alpha1'],
  },
];

describe('validating a ConnectivityTest', () => {
  it('finds nothing wrong with a valid test', () => {
    assert.deepEqual(validateConnectivityTest(valid()), []);
  });

  for (const c of CASES) {
    it(`reports ${c.breaks} with its path`, () => {
      const found = validateConnectivityTest(edit(valid(), c.edits)).map((p) => `${p.path}: ${p.message}`);
      assert.deepEqual(found, c.problems);
    });
  }

  it('returns every problem at once, ordered by path with flows[2] before flows[10]', () => {
    const test = edit(valid(), [
      ['spec.flows', manyFlows(11)],
      ['spec.flows[10].port', 0],
      ['spec.flows[2].expect', 'Maybe'],
      ['spec.timeoutSeconds', 0],
    ]);
    assert.deepEqual(
      validateConnectivityTest(test).map((p) => p.path),
      ['spec.flows[2].expect', 'spec.flows[10].port', 'spec.timeoutSeconds'],
    );
  });

  it('still checks the other flows’ rules when one flow has a type error', () => {
    const test = edit(valid(), [
      ['spec.flows[1]', { ...FLOW, name: 'second', protocol: 'UDP' }],
      ['spec.flows[0].port', 'eighty'],
    ]);
    assert.deepEqual(
      validateConnectivityTest(test).map((p) => p.path),
      ['spec.flows[0].port', 'spec.flows[1].http'],
    );
  });

  it('quotes label keys that are not identifiers in paths', () => {
    const test = edit(valid(), [
      ['spec.flows[0].from', { labels: { 'app.kubernetes.io/name': 'not valid!' } }],
    ]);
    assert.deepEqual(
      validateConnectivityTest(test).map((p) => p.path),
      ['spec.flows[0].from.labels["app.kubernetes.io/name"]'],
    );
  });

  it('treats a null field as absent, as the API server prunes it', () => {
    const test = edit(valid(), [
      ['spec.flows[0].http', null],
      ['spec.interval', null],
    ]);
    assert.deepEqual(validateConnectivityTest(test), []);
  });

  it('ignores status, which the API server ignores on apply', () => {
    assert.deepEqual(validateConnectivityTest(edit(valid(), [['status', { anything: true }]])), []);
  });

  it('does not modify the object it checks', () => {
    const test = edit(valid(), [['spec.flows[0].http', null]]);
    const before = structuredClone(test);
    validateConnectivityTest(test);
    assert.deepEqual(test, before);
  });

  it('reports, never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        assert.ok(validateConnectivityTest(value).length > 0);
      }),
    );
  });

  it('reports exactly the problems the broken fixture’s comments name', async () => {
    const text = await readFile(new URL('broken-flows.yaml', FIXTURES), 'utf8');
    const expected = [...text.matchAll(/# (spec\S*: .*)$/gm)].map((m) => m[1]).sort();
    const found = validateConnectivityTest(parse(text)).map(
      (p) => `${p.path}: ${p.message.replace(/: .*/, '')}`,
    );
    assert.deepEqual(found.sort(), expected);
  });

  for (const file of ['baseline.yaml', 'egress-lockdown.json']) {
    it(`accepts the fixture ${file}`, async () => {
      const first: unknown = parseAllDocuments(await readFile(new URL(file, FIXTURES), 'utf8'))[0]?.toJS();
      assert.deepEqual(validateConnectivityTest(first), []);
    });
  }
});

// Each CEL rule and its TypeScript twin, evaluated on the same values: they must agree, and both must
// give the verdict the table states. The CEL side runs in @marcbachmann/cel-js; differences from the API
// server's cel-go that matter here: regexes run as ECMAScript, not RE2 (the patterns use the common
// subset), and cel-js does not estimate cost (maxItems/maxLength/maxProperties bound it for the server).
import { strict as assert } from 'node:assert';
import * as rules from '../../src/api/cel-rules.js';
import type { CelRule } from '../../src/api/schema-node.js';
import { celHolds } from './cel.js';

interface Case {
  self: unknown;
  holds: boolean;
  why: string;
}

const sel = { matchLabels: { app: 'web' } };

const TABLE: [CelRule, Case[]][] = [
  [
    rules.intervalMinimum,
    [
      { self: '30s', holds: true, why: 'the minimum itself' },
      { self: '1h30m', holds: true, why: 'hours and minutes add up' },
      { self: '0m45s', holds: true, why: 'zero minutes and 45 seconds' },
      { self: '29s', holds: false, why: 'one second short' },
      { self: '0h', holds: false, why: 'zero' },
    ],
  ],
  [
    rules.uniqueFlowNames,
    [
      { self: [{ name: 'a' }, { name: 'b' }], holds: true, why: 'distinct names' },
      { self: [], holds: true, why: 'no flows' },
      { self: [{ name: 'a' }, { name: 'b' }, { name: 'a' }], holds: false, why: 'a repeated name' },
    ],
  ],
  [
    rules.httpOnlyWithTcp,
    [
      { self: { http: {} }, holds: true, why: 'protocol absent (TCP by default)' },
      { self: { http: { path: '/' }, protocol: 'TCP' }, holds: true, why: 'TCP' },
      { self: { protocol: 'UDP' }, holds: true, why: 'UDP without http' },
      { self: { http: {}, protocol: 'UDP' }, holds: false, why: 'http over UDP' },
    ],
  ],
  [
    rules.dnsExcludesHttp,
    [
      { self: { dns: { name: 'a.b' } }, holds: true, why: 'a DNS check alone' },
      { self: { http: {} }, holds: true, why: 'an HTTP request alone' },
      { self: { dns: { name: 'a.b' }, http: {} }, holds: false, why: 'a DNS check with an HTTP request' },
    ],
  ],
  [
    rules.exactlyOneIdentity,
    [
      { self: { podSelector: sel }, holds: true, why: 'a selector' },
      { self: { labels: {} }, holds: true, why: 'an explicit, empty label set' },
      { self: {}, holds: false, why: 'neither' },
      { self: { podSelector: sel, labels: { app: 'web' } }, holds: false, why: 'both' },
    ],
  ],
  [
    rules.serviceAccountOnlyWithLabels,
    [
      {
        self: { labels: { app: 'a' }, serviceAccountName: 'api' },
        holds: true,
        why: 'labels and an account',
      },
      { self: { podSelector: sel }, holds: true, why: 'a selector alone' },
      {
        self: { podSelector: sel, serviceAccountName: 'api' },
        holds: false,
        why: 'a selector and an account',
      },
    ],
  ],
  [
    rules.identitySelectorNotEmpty,
    [
      { self: sel, holds: true, why: 'matchLabels' },
      {
        self: { matchExpressions: [{ key: 'app', operator: 'Exists' }] },
        holds: true,
        why: 'matchExpressions',
      },
      { self: {}, holds: false, why: 'empty selector' },
      { self: { matchLabels: {}, matchExpressions: [] }, holds: false, why: 'empty lists and maps' },
    ],
  ],
  [
    rules.exactlyOneTarget,
    [
      { self: { podSelector: {} }, holds: true, why: 'pods (an empty selector is any pod)' },
      { self: { service: 'api', namespace: 'x' }, holds: true, why: 'a service elsewhere' },
      { self: { host: 'example.com' }, holds: true, why: 'a host' },
      { self: { ip: '10.0.0.1' }, holds: true, why: 'an ip' },
      { self: { namespace: 'x' }, holds: false, why: 'only a namespace' },
      { self: { host: 'example.com', ip: '10.0.0.1' }, holds: false, why: 'host and ip' },
      { self: { podSelector: {}, service: 'a', host: 'h', ip: '::1' }, holds: false, why: 'all four' },
    ],
  ],
  [
    rules.namespaceOnlyInCluster,
    [
      { self: { podSelector: {}, namespace: 'x' }, holds: true, why: 'pods in a namespace' },
      { self: { service: 'a', namespace: 'x' }, holds: true, why: 'a service in a namespace' },
      { self: { ip: '10.0.0.1' }, holds: true, why: 'no namespace' },
      { self: { ip: '10.0.0.1', namespace: 'x' }, holds: false, why: 'an ip has no namespace' },
      { self: { host: 'example.com', namespace: 'x' }, holds: false, why: 'a host has no namespace' },
      { self: { namespace: 'x' }, holds: false, why: 'a namespace alone' },
    ],
  ],
  [
    rules.hostIsNotAnIp,
    [
      { self: 'api.example.com', holds: true, why: 'a name' },
      { self: '1password.com', holds: true, why: 'a name starting with a digit' },
      { self: '10.0.5.10', holds: false, why: 'an IPv4 address' },
    ],
  ],
  [
    rules.valuesMatchOperator,
    [
      { self: { key: 'a', operator: 'In', values: ['x'] }, holds: true, why: 'In with values' },
      { self: { key: 'a', operator: 'Exists' }, holds: true, why: 'Exists without values' },
      {
        self: { key: 'a', operator: 'DoesNotExist', values: [] },
        holds: true,
        why: 'DoesNotExist, empty list',
      },
      { self: { key: 'a', operator: 'NotIn' }, holds: false, why: 'NotIn without values' },
      { self: { key: 'a', operator: 'In', values: [] }, holds: false, why: 'In with an empty list' },
      { self: { key: 'a', operator: 'Exists', values: ['x'] }, holds: false, why: 'Exists with values' },
    ],
  ],
  [
    rules.labelKeysValid,
    [
      {
        self: { app: 'x', 'app.kubernetes.io/name': 'y', 'a_b.c-d': 'z' },
        holds: true,
        why: 'plain and prefixed keys',
      },
      { self: {}, holds: true, why: 'no labels' },
      { self: { 'bad key': 'x' }, holds: false, why: 'a space' },
      { self: { '-app': 'x' }, holds: false, why: 'a leading dash' },
      { self: { 'Example.com/app': 'x' }, holds: false, why: 'an upper-case prefix' },
      { self: { ['a'.repeat(64)]: 'x' }, holds: false, why: 'a name of 64 characters' },
      { self: { 'a/b/c': 'x' }, holds: false, why: 'two slashes' },
    ],
  ],
  [
    rules.ipHasNoIPv4Tail,
    [
      { self: '10.0.5.10', holds: true, why: 'an IPv4 address' },
      { self: '::1', holds: true, why: 'the IPv6 loopback' },
      { self: 'fd00:10:244::7', holds: true, why: 'an IPv6 pod address' },
      { self: '::ffff:10.0.5.10', holds: false, why: 'an IPv4-mapped IPv6 address' },
    ],
  ],
  [
    rules.ipFamilyMatchesIp,
    [
      { self: { to: { ip: 'fd00::1' }, ipFamily: 'IPv6' }, holds: true, why: 'an IPv6 address, IPv6' },
      { self: { to: { ip: '10.0.0.1' }, ipFamily: 'IPv4' }, holds: true, why: 'an IPv4 address, IPv4' },
      { self: { to: { ip: '10.0.0.1' } }, holds: true, why: 'no family named' },
      { self: { to: { service: 'api' }, ipFamily: 'IPv6' }, holds: true, why: 'a Service, IPv6' },
      { self: { to: { ip: '10.0.0.1' }, ipFamily: 'IPv6' }, holds: false, why: 'an IPv4 address, IPv6' },
      { self: { to: { ip: 'fd00::1' }, ipFamily: 'IPv4' }, holds: false, why: 'an IPv6 address, IPv4' },
    ],
  ],
  [
    rules.pathFitsProbe,
    [
      { self: '/odata/Products?$top=1', holds: true, why: 'a short path' },
      { self: `/${'a'.repeat(1023)}`, holds: true, why: 'exactly 1024 characters' },
      { self: `/${'a'.repeat(1014)}|||`, holds: true, why: '1018 characters, three | (1024 sent)' },
      { self: `/${'a'.repeat(1021)}|`, holds: false, why: '1023 characters with one | (1025 sent)' },
      { self: `/${'|'.repeat(400)}`, holds: false, why: '401 characters, 400 of them |' },
    ],
  ],
  [
    rules.noReservedLabelKeys,
    [
      { self: { app: 'web', 'app.kubernetes.io/name': 'web' }, holds: true, why: 'ordinary keys' },
      { self: { 'sub.flowprobe.dev/x': 'y' }, holds: true, why: 'another domain ending in flowprobe.dev' },
      { self: { 'flowprobe.dev/test': 'x' }, holds: false, why: 'flowprobe.dev/test' },
      { self: { app: 'web', 'flowprobe.dev/run-id': 'x' }, holds: false, why: 'flowprobe.dev/run-id' },
    ],
  ],
  [
    rules.placementNeedsPodTarget,
    [
      { self: { to: { ip: '10.0.0.1' } }, holds: true, why: 'no placement' },
      { self: { to: { podSelector: sel }, placement: 'SameNode' }, holds: true, why: 'SameNode to pods' },
      {
        self: { to: { service: 'api' }, placement: 'OtherNode' },
        holds: true,
        why: 'OtherNode to a Service',
      },
      { self: { to: { host: 'a.example' }, placement: 'EachNode' }, holds: true, why: 'EachNode to a host' },
      { self: { to: { ip: '10.0.0.1' }, placement: 'SameNode' }, holds: false, why: 'SameNode to an ip' },
      {
        self: { to: { host: 'a.example' }, placement: 'OtherNode' },
        holds: false,
        why: 'OtherNode to a host',
      },
    ],
  ],
];

describe('the CEL rules and their TypeScript twins', () => {
  it('covers every rule in the table', () => {
    assert.deepEqual(TABLE.map(([rule]) => rule.id).sort(), rules.CEL_RULES.map((r) => r.id).sort());
  });

  for (const [rule, cases] of TABLE) {
    describe(`${rule.id}: ${rule.rule}`, () => {
      for (const c of cases) {
        it(`${c.holds ? 'holds' : 'fails'} for ${c.why}, in CEL and in TypeScript`, () => {
          assert.equal(celHolds(rule, c.self), c.holds, 'CEL');
          assert.equal(rule.holds(c.self), c.holds, 'TypeScript');
        });
      }
    });
  }
});

/**
 * The FAKE resolver's records and the declared outcome table (pure): what a name resolves to, and that
 * the table's synthetic log reads, through the real parseProbeLog, as the outcome declared.
 */
import assert from 'node:assert/strict';
import { declaredLog, dnsRecords, hostsFile, type DeclaredOutcome } from '../support/fake-cluster/index.js';
import { formatTarget } from '../../src/probe/args.js';
import { probeCommand } from '../../src/probe/command.js';
import { parseProbeLog } from '../../src/probe/parse-log.js';
import { settleOptions } from '../../src/probe/settle.js';
import type { ProbeSpec } from '../../src/probe/types.js';
import type { k8s } from './helpers.js';

function pod(
  name: string,
  ns: string,
  ip: string,
  labels: Record<string, string>,
  ready: boolean,
): k8s.V1Pod {
  return {
    metadata: { name, namespace: ns, labels },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

describe('FAKE resolver records', () => {
  const pods = [
    pod('web-1', 'shop', '10.252.1.1', { app: 'web' }, true),
    pod('web-2', 'shop', '10.252.1.2', { app: 'web' }, false),
    pod('web-3', 'other', '10.252.1.3', { app: 'web' }, true),
  ];
  const services: k8s.V1Service[] = [
    {
      metadata: { name: 'web', namespace: 'shop' },
      spec: { selector: { app: 'web' }, clusterIP: '10.96.0.20' },
    },
    {
      metadata: { name: 'web-headless', namespace: 'shop' },
      spec: { selector: { app: 'web' }, clusterIP: 'None' },
    },
    {
      metadata: { name: 'gone', namespace: 'shop' },
      spec: { selector: { app: 'gone' }, clusterIP: '10.96.0.21' },
    },
    {
      metadata: { name: 'gone-headless', namespace: 'shop' },
      spec: { selector: { app: 'gone' }, clusterIP: 'None' },
    },
    { metadata: { name: 'manual', namespace: 'shop' }, spec: { clusterIP: 'None' } },
  ];
  const records = dnsRecords(pods, services);
  const answer = (name: string) => records.filter((r) => r.name === name).map((r) => r.ip);

  it('answers a Service name with its cluster IP, which the FAKE kube-proxy translates', () => {
    assert.deepEqual(answer('web.shop.svc.cluster.local'), ['10.96.0.20']);
  });

  it('answers a Service without ready endpoints with its cluster IP all the same (CoreDNS does)', () => {
    assert.deepEqual(answer('gone.shop.svc.cluster.local'), ['10.96.0.21']);
  });

  it('answers a headless Service with its ready pods of its own namespace only', () => {
    assert.deepEqual(answer('web-headless.shop.svc.cluster.local'), ['10.252.1.1']);
  });

  it('has no record for a headless Service without ready endpoints or without a selector (NXDOMAIN)', () => {
    assert.deepEqual(answer('gone-headless.shop.svc.cluster.local'), []);
    assert.equal(records.filter((r) => r.name.startsWith('manual.')).length, 0);
  });

  it('answers POD-IP-DASHED.NAMESPACE.pod.cluster.local for every pod with an IP', () => {
    assert.ok(records.some((r) => r.name === '10-252-1-2.shop.pod.cluster.local' && r.ip === '10.252.1.2'));
  });

  it('writes the same hosts file for the same records in any order', () => {
    assert.equal(hostsFile(records), hostsFile([...records].reverse()));
  });
});

describe('declared outcome table (the FAKE kubelet without root)', () => {
  const specs: ProbeSpec[] = [
    { kind: 'tcp', host: '10.252.1.1', port: 8080, timeoutSeconds: 2 },
    { kind: 'udp', host: '10.252.1.1', port: 9000, timeoutSeconds: 2 },
    { kind: 'http', host: 'web.shop.svc.cluster.local', port: 8080, path: '/healthz', timeoutSeconds: 2 },
  ];
  const command = probeCommand(specs, settleOptions(2));
  const targets = [
    'tcp://10.252.1.1:8080',
    'udp://10.252.1.1:9000',
    'http://web.shop.svc.cluster.local:8080/healthz',
  ];
  const cases: [DeclaredOutcome, string, string][] = [
    ['Connected', 'Connected', 'tcp-open'],
    ['Refused', 'Refused', 'reset-or-port-unreachable'],
    ['Blocked', 'Blocked', 'timeout'],
    ['Unreachable', 'Unreachable', 'host-unreachable-or-prohibited'],
    ['DNSFailure', 'DNSFailure', 'resolver-timeout'],
    ['NXDOMAIN', 'DNSFailure', 'nxdomain'],
  ];
  for (const [declared, outcome, detail] of cases) {
    it(`makes a log that parses as ${outcome} (${detail}) for a declared ${declared}`, () => {
      const [first] = parseProbeLog(declaredLog(command, { [targets[0]!]: declared }), targets);
      assert.equal(first?.outcome, outcome);
      assert.equal(first.detail, detail);
    });
  }

  it("answers DNS checks by their dns:// and dns+tcp:// targets, in the script's own words", () => {
    const dns: ProbeSpec[] = [
      {
        kind: 'dns',
        host: '10.252.0.10',
        port: 53,
        name: 'kubernetes.default.svc.cluster.local',
        timeoutSeconds: 2,
      },
      { kind: 'dnstcp', host: '10.252.0.10', port: 53, name: 'a.example.', timeoutSeconds: 2 },
      { kind: 'dns', host: '10.252.0.11', port: 53, name: 'a.example', timeoutSeconds: 2 },
      { kind: 'dns', host: '10.252.0.12', port: 53, name: 'a.example', timeoutSeconds: 2 },
    ];
    const labels = dns.map(formatTarget);
    const table = {
      'dns://10.252.0.10:53/kubernetes.default.svc.cluster.local': 'Connected',
      'dns+tcp://10.252.0.10:53/a.example.': 'Blocked',
      'dns://10.252.0.11:53/a.example': 'Blocked',
      'dns://10.252.0.12:53/a.example': 'Refused',
    } as const;
    assert.deepEqual(Object.keys(table), labels);
    const results = parseProbeLog(declaredLog(probeCommand(dns, settleOptions(2)), table), labels);
    assert.deepEqual(
      results.map((r) => [r.outcome, r.detail]),
      [
        ['Connected', 'answer NOERROR'],
        ['Blocked', 'timeout'],
        ['Blocked', 'timeout'],
        ['Refused', 'port-unreachable'],
      ],
    );
  });

  it('gives an HTTP target declared Connected a status 200, and a target not declared no line (Error)', () => {
    const results = parseProbeLog(declaredLog(command, { [targets[2]!]: 'Connected' }), targets);
    assert.equal(results[2]?.outcome, 'Connected');
    assert.equal(results[2].httpStatus, 200);
    assert.equal(results[0]?.outcome, 'Error');
    assert.equal(results[0].detail, 'no-result-line');
  });
});

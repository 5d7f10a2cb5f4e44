// The advice of a denied DNS-check flow names the flow's own resolver and port: the cluster DNS hint only
// when the target is the cluster DNS.
import { strict as assert } from 'node:assert';
import type { Flow } from '../../src/api/types.js';
import type { TargetPrediction } from '../../src/explain/combine.js';
import { dnsCheckDiagnosis } from '../../src/explain/diagnose-dns-check.js';

const egressDenied = {
  prediction: { egress: { decision: 'no' }, ingress: { decision: 'yes' } },
} as unknown as TargetPrediction;

const check = (to: Flow['to'], port: number, protocol: Flow['protocol'] = 'UDP'): Flow => ({
  name: 'dns',
  from: { labels: { app: 'web' } },
  to,
  port,
  protocol,
  dns: { name: 'example.com' },
  expect: 'Allowed',
});

describe('the diagnosis of a denied DNS check', () => {
  const cases: [string, Flow, RegExp][] = [
    [
      'the cluster DNS by its pods: UDP and TCP 53 to kube-dns',
      check({ podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, namespace: 'kube-system' }, 53),
      /allow UDP and TCP 53 to the resolver \(the cluster DNS: kube-system k8s-app=kube-dns\)$/,
    ],
    [
      'the kube-dns Service',
      check({ service: 'kube-dns', namespace: 'kube-system' }, 53),
      /allow UDP and TCP 53 to the resolver \(the cluster DNS: kube-system k8s-app=kube-dns\)$/,
    ],
    [
      'an external resolver on another port: that address and port, no kube-dns',
      check({ ip: '192.0.2.53' }, 5353),
      /allow UDP and TCP 5353 to 192\.0\.2\.53$/,
    ],
    [
      'a resolver Service of its own',
      check({ service: 'unbound', namespace: 'dns' }, 53, 'TCP'),
      /allow UDP and TCP 53 to service dns\/unbound$/,
    ],
  ];
  for (const [what, flow, advice] of cases)
    it(`names ${what}`, () => {
      const [first] = dnsCheckDiagnosis(flow, 'Denied', [egressDenied]);
      assert.match(first ?? '', advice);
    });
});

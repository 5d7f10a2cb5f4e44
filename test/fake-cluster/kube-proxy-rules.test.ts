/**
 * The FAKE kube-proxy's pure half: which endpoints each Service port has (as the EndpointSlice controller
 * lists them) and the nftables table built from them (kubernetes pkg/proxy/nftables/proxier.go).
 */
import assert from 'node:assert/strict';
import { kubeProxyRuleset, servicePortEndpoints } from '../support/fake-cluster/index.js';
import type { k8s } from './helpers.js';

function pod(name: string, ip: string, ready: boolean, ports: k8s.V1ContainerPort[], ns = 'shop'): k8s.V1Pod {
  return {
    metadata: { name, namespace: ns, labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', ports }] },
    status: { podIP: ip, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
  };
}

function service(name: string, spec: k8s.V1ServiceSpec): k8s.V1Service {
  return { metadata: { name, namespace: 'shop' }, spec: Object.assign({ clusterIP: '10.96.0.30' }, spec) };
}

describe('FAKE kube-proxy: Service endpoints and rules', () => {
  const pods = [
    pod('a', '10.252.1.1', true, [{ name: 'http', containerPort: 8080 }]),
    pod('b', '10.252.1.2', true, [{ name: 'http', containerPort: 8081 }]),
    pod('c', '10.252.1.3', false, [{ name: 'http', containerPort: 8080 }]),
    pod('d', '10.252.1.4', true, [{ name: 'other', containerPort: 9000 }]),
    pod('e', '10.252.1.5', true, [{ name: 'http', containerPort: 8080 }], 'elsewhere'),
  ];
  const endpointsOf = (spec: k8s.V1ServiceSpec) =>
    servicePortEndpoints([service('web', spec)], pods).map((p) => p.endpoints);

  const cases: [string, k8s.V1ServiceSpec, { ip: string; port: number }[][]][] = [
    [
      'a named targetPort resolves per pod; unready pods, pods without the name and other namespaces are left out',
      { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] },
      [
        [
          { ip: '10.252.1.1', port: 8080 },
          { ip: '10.252.1.2', port: 8081 },
        ],
      ],
    ],
    [
      'a numeric targetPort applies to every ready pod',
      { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 7000 }] },
      [
        [
          { ip: '10.252.1.1', port: 7000 },
          { ip: '10.252.1.2', port: 7000 },
          { ip: '10.252.1.4', port: 7000 },
        ],
      ],
    ],
    [
      'no targetPort means the Service port',
      { selector: { app: 'web' }, ports: [{ port: 80 }] },
      [
        [
          { ip: '10.252.1.1', port: 80 },
          { ip: '10.252.1.2', port: 80 },
          { ip: '10.252.1.4', port: 80 },
        ],
      ],
    ],
    ['no selector: no endpoints (none are written by hand here)', { ports: [{ port: 80 }] }, [[]]],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => {
      assert.deepEqual(endpointsOf(spec), want);
    });
  }

  it('leaves out headless and ExternalName Services: they have no cluster IP to translate', () => {
    const ports = servicePortEndpoints(
      [
        service('headless', { clusterIP: 'None', selector: { app: 'web' }, ports: [{ port: 80 }] }),
        service('ext', { type: 'ExternalName', externalName: 'example.org', ports: [{ port: 80 }] }),
      ],
      pods,
    );
    assert.deepEqual(ports, []);
  });

  it('translates a served port at random over its endpoints and rejects a port without endpoints', () => {
    const text = kubeProxyRuleset([
      {
        key: 'shop/web:80/tcp',
        clusterIP: '10.96.0.30',
        protocol: 'tcp',
        port: 80,
        endpoints: [
          { ip: '10.252.1.1', port: 8080 },
          { ip: '10.252.1.2', port: 8081 },
        ],
      },
      { key: 'shop/empty:80/tcp', clusterIP: '10.96.0.31', protocol: 'tcp', port: 80, endpoints: [] },
    ]);
    assert.match(text, /10\.96\.0\.30 \. tcp \. 80 : goto svc-0/);
    assert.match(text, /numgen random mod 2 vmap \{ 0 : goto ep-0-0, 1 : goto ep-0-1 \}/);
    assert.match(text, /meta l4proto tcp dnat to 10\.252\.1\.1:8080/);
    assert.match(text, /meta l4proto tcp dnat to 10\.252\.1\.2:8081/);
    assert.match(text, /10\.96\.0\.31 \. tcp \. 80 : goto reject-chain/);
    assert.match(text, /elements = \{ 10\.96\.0\.30, 10\.96\.0\.31 \}/);
  });
});

// explain names a Service target that has no endpoint to serve a flow, where the manifests (or the
// cluster's objects) make that certain: kube-proxy would reject such a connection before any policy sees it.
import { strict as assert } from 'node:assert';
import { ctest, deployment, report, result, service } from './helpers.js';

const web = deployment('shop', 'web', '{ app: web }');
const apiSvc = service('shop', 'api', '{ selector: { app: api }, ports: [{ port: 80, targetPort: http }] }');
const toApi = ctest(
  'shop',
  '{ name: f, from: { labels: { app: web } }, to: { service: api }, port: 80, expect: Allowed }',
);

function apiPod(name: string, status: string): string {
  return `apiVersion: v1
kind: Pod
metadata: { name: ${name}, namespace: shop, labels: { app: api } }
spec: { containers: [{ name: c, image: x, ports: [{ name: http, containerPort: 8080 }] }] }
status: ${status}`;
}

const ready = "{ podIP: 10.244.0.5, conditions: [{ type: Ready, status: 'True' }] }";
const unready = "{ podIP: 10.244.0.6, conditions: [{ type: Ready, status: 'False' }] }";

describe('explain names a Service without endpoints', () => {
  const cases: [string, string[], RegExp | undefined][] = [
    [
      'a Service whose selector matches nothing',
      [],
      /has no ready endpoints: no pod or workload matches its selector/,
    ],
    [
      'a Service over a Deployment scaled to zero',
      [
        deployment('shop', 'api', '{ app: api }', '[{ name: http, containerPort: 8080 }]').replace(
          'spec:\n',
          'spec:\n  replicas: 0\n',
        ),
      ],
      /has no ready endpoints: the workloads it selects are scaled to zero/,
    ],
    [
      'a Service whose pods are not Ready',
      [apiPod('api-1', unready), apiPod('api-2', unready)],
      /has no ready endpoints: 2 pods match its selector and none is ready/,
    ],
    [
      'a Service whose pods do not declare its named target port',
      [deployment('shop', 'api', '{ app: api }', '[{ name: other, containerPort: 8080 }]')],
      /has no ready endpoints: no pod it selects declares the target port http/,
    ],
    [
      'not a Service with one ready pod among unready ones',
      [apiPod('api-1', unready), apiPod('api-2', ready)],
      undefined,
    ],
    [
      'not a Service over a Deployment (its readiness is unknown)',
      [deployment('shop', 'api', '{ app: api }', '[{ name: http, containerPort: 8080 }]')],
      undefined,
    ],
  ];
  for (const [name, objects, want] of cases) {
    it(name, () => {
      const f = result(report(web, apiSvc, ...objects, toApi), 'f');
      if (want === undefined) {
        assert.equal(f.noEndpoints, undefined);
        assert.ok(!f.diagnosis.some((d) => d.startsWith('no endpoints:')), f.diagnosis.join('\n'));
      } else {
        assert.match(f.noEndpoints ?? '', want);
        assert.match(f.diagnosis.at(-1) ?? '', /^no endpoints: service shop\/api has no ready endpoints/);
      }
    });
  }

  it('says so for a port the Service does not have, too', () => {
    const f = result(
      report(
        web,
        apiSvc,
        ctest(
          'shop',
          '{ name: f, from: { labels: { app: web } }, to: { service: api }, port: 81, expect: Allowed }',
        ),
      ),
      'f',
    );
    assert.match(
      f.noEndpoints ?? '',
      /service shop\/api has no port 81\/TCP \(it has 80\/TCP\), so nothing serves it/,
    );
  });
});

// How explain follows a flow's source and target to endpoints.
import { strict as assert } from 'node:assert';
import { ctest, deployment, policy, pod, report, result, service } from './helpers.js';

const web = deployment('shop', 'web', '{ app: web }');
const api = deployment('shop', 'api', '{ app: api }', '[{ name: http, containerPort: 8080 }]');
const onlyHttpToApi = policy(
  'shop',
  'api-in',
  '{ podSelector: { matchLabels: { app: api } }, ingress: [{ ports: [{ port: 8080 }] }] }',
);
const apiSvc = service(
  'shop',
  'api',
  '{ selector: { app: api }, clusterIP: 10.96.1.1, ports: [{ port: 80, targetPort: http }, { port: 81 }] }',
);

describe('explain resolves flows', () => {
  it('follows a Service port to its named targetPort on the pods', () => {
    const r = report(
      web,
      api,
      apiSvc,
      onlyHttpToApi,
      ctest(
        'shop',
        '{ name: f, from: { podSelector: { matchLabels: { app: web } } }, to: { service: api }, port: 80, expect: Allowed }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Allowed');
    assert.equal(f.to, 'svc shop/api → 8080');
  });

  it('takes targetPort = port when the Service omits it', () => {
    const r = report(
      web,
      api,
      apiSvc,
      onlyHttpToApi,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { service: api }, port: 81, expect: Denied }',
      ),
    );
    assert.equal(result(r, 'f').predicted, 'Denied');
  });

  it('is Unknown, saying so, when the Service has no such port', () => {
    const r = report(
      web,
      api,
      apiSvc,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { service: api }, port: 9999, expect: Allowed }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.equal(f.agrees, null);
    assert.match(f.reasons.join('\n'), /service shop\/api has no port 9999\/TCP \(it has 80\/TCP, 81\/TCP\)/);
  });

  it('is Unknown when the Service is not in the manifests', () => {
    const r = report(
      web,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { service: nope }, port: 80, expect: Allowed }',
      ),
    );
    assert.match(result(r, 'f').reasons[0]!, /service shop\/nope is not in the manifests/);
  });

  it('is Unknown when no pod matches the source podSelector', () => {
    const r = report(
      api,
      ctest(
        'shop',
        '{ name: f, from: { podSelector: { matchLabels: { app: ghost } } }, to: { service: api }, port: 80, expect: Allowed }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.match(f.reasons[0]!, /no pod or workload in shop matches the source shop\/\{app=ghost\}/);
  });

  it('is Unknown when no pod matches the target podSelector', () => {
    const r = report(
      web,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: ghost } } }, port: 80, expect: Allowed }',
      ),
    );
    assert.match(result(r, 'f').reasons[0]!, /no pod or workload in shop matches the target/);
  });

  it('reads a cluster service host name as that Service', () => {
    const r = report(
      web,
      api,
      apiSvc,
      onlyHttpToApi,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { host: api.shop.svc.cluster.local }, port: 80, expect: Allowed }',
      ),
    );
    assert.equal(result(r, 'f').predicted, 'Allowed');
  });

  it('matches to.ip with a pod IP, then a clusterIP, else an outside address', () => {
    const db = pod('shop', 'db-0', '{ app: db }', '10.244.0.9');
    const denyDb = policy(
      'shop',
      'db',
      '{ podSelector: { matchLabels: { app: db } }, policyTypes: [Ingress] }',
    );
    const r = report(
      web,
      api,
      apiSvc,
      db,
      denyDb,
      onlyHttpToApi,
      ctest(
        'shop',
        '{ name: to-pod, from: { labels: { app: web } }, to: { ip: 10.244.0.9 }, port: 5432, expect: Denied }',
        '{ name: to-cluster-ip, from: { labels: { app: web } }, to: { ip: 10.96.1.1 }, port: 80, expect: Allowed }',
        '{ name: to-outside, from: { labels: { app: web } }, to: { ip: 1.1.1.1 }, port: 443, expect: Allowed }',
      ),
    );
    assert.equal(result(r, 'to-pod').predicted, 'Denied');
    assert.equal(result(r, 'to-pod').to, '10.244.0.9 (shop/db-0)');
    assert.equal(result(r, 'to-cluster-ip').predicted, 'Allowed');
    assert.equal(result(r, 'to-outside').predicted, 'Allowed');
  });

  it('is Unknown, counting, when target pods disagree', () => {
    const a = pod('shop', 'api-a', '{ app: api, canary: "yes" }', '10.244.0.1');
    const b = pod('shop', 'api-b', '{ app: api }', '10.244.0.2');
    const c = pod('shop', 'api-c', '{ app: api }', '10.244.0.3');
    const canaryLocked = policy(
      'shop',
      'canary',
      '{ podSelector: { matchLabels: { canary: "yes" } }, policyTypes: [Ingress] }',
    );
    const r = report(
      web,
      a,
      b,
      c,
      canaryLocked,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: api } } }, port: 80, expect: Allowed }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Unknown');
    assert.equal(
      f.reasons[0],
      '2 of 3 target pods allow it (allowed: shop/api-b, shop/api-c; denied: shop/api-a)',
    );
  });

  it('gives a namespace it was not told about its kubernetes.io/metadata.name label', () => {
    const other = deployment('elsewhere', 'client', '{ app: client }');
    const fromElsewhere = policy(
      'shop',
      'api-in',
      '{ podSelector: { matchLabels: { app: api } }, ingress: [{ from: [{ namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: elsewhere } } }] }] }',
    );
    const r = report(
      other,
      api,
      fromElsewhere,
      ctest(
        'elsewhere',
        '{ name: f, from: { labels: { app: client } }, to: { podSelector: { matchLabels: { app: api } }, namespace: shop }, port: 8080, expect: Allowed }',
      ),
    );
    assert.equal(result(r, 'f').predicted, 'Allowed');
  });

  it('treats a hostNetwork workload as not subject to policy', () => {
    const agent = deployment('shop', 'agent', '{ app: agent }', '[]', 'hostNetwork: true');
    const denyAll = policy('shop', 'deny', '{ podSelector: {}, policyTypes: [Ingress] }');
    const r = report(
      web,
      agent,
      denyAll,
      ctest(
        'shop',
        '{ name: f, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: agent } } }, port: 9100, expect: Allowed }',
      ),
    );
    assert.equal(result(r, 'f').predicted, 'Allowed');
    assert.match(result(r, 'f').reasons[1]!, /uses the host network/);
  });

  it('reads the pod templates of every workload kind', () => {
    const kinds = ['StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'].map((kind, i) =>
      deployment('shop', `w${i}`, `{ app: w${i} }`).replace('kind: Deployment', `kind: ${kind}`),
    );
    const cron = `apiVersion: batch/v1
kind: CronJob
metadata: { name: cron, namespace: shop }
spec:
  schedule: "* * * * *"
  jobTemplate: { spec: { template: { metadata: { labels: { app: cron } }, spec: { containers: [{ name: c, image: x }] } } } }`;
    const flows = ['w0', 'w1', 'w2', 'w3', 'cron'].map(
      (app) =>
        `{ name: to-${app}, from: { labels: { app: web } }, to: { podSelector: { matchLabels: { app: ${app} } } }, port: 80, expect: Allowed }`,
    );
    const r = report(...kinds, cron, ctest('shop', ...flows));
    assert.deepEqual(
      r.results.map((x) => x.predicted),
      ['Allowed', 'Allowed', 'Allowed', 'Allowed', 'Allowed'],
    );
  });

  it('predicts for a pod-network probe when the source workload uses the host network', () => {
    const agent = deployment('shop', 'agent', '{ app: agent }', '[]', 'hostNetwork: true');
    const denyOut = policy('shop', 'deny-out', '{ podSelector: {}, policyTypes: [Egress] }');
    const r = report(
      agent,
      denyOut,
      ctest(
        'shop',
        '{ name: f, from: { podSelector: { matchLabels: { app: agent } } }, to: { ip: 1.1.1.1 }, port: 443, expect: Denied }',
      ),
    );
    const f = result(r, 'f');
    assert.equal(f.predicted, 'Denied');
    assert.match(f.reasons[0]!, /uses the host network; predicted for a pod-network probe with its labels/);
  });

  // A finished pod keeps its status.podIP while the pod network hands the address to a new pod
  // (kubernetes/kubernetes#92697, #98611); a policy engine that matched the finished pod instead denied the
  // running one's traffic (antrea-io/antrea#6507). The flow reaches the running pod, whatever the order.
  it('follows an address a finished pod kept and a running pod reuses to the running pod, in either order', () => {
    const finished = `apiVersion: v1
kind: Pod
metadata: { name: backup-1, namespace: shop, labels: { app: backup } }
spec: { containers: [{ name: c, image: x }] }
status: { phase: Succeeded, podIP: 10.244.0.9 }`;
    const running = `apiVersion: v1
kind: Pod
metadata: { name: db-0, namespace: shop, labels: { app: db } }
spec: { containers: [{ name: c, image: x }] }
status: { phase: Running, podIP: 10.244.0.9, conditions: [{ type: Ready, status: 'True' }] }`;
    const dbOnly = policy(
      'shop',
      'db-in',
      '{ podSelector: { matchLabels: { app: db } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }] }] }',
    );
    const flow = ctest(
      'shop',
      '{ name: f, from: { labels: { app: other } }, to: { ip: 10.244.0.9 }, port: 5432, expect: Denied }',
    );
    for (const pods of [
      [finished, running],
      [running, finished],
    ]) {
      const f = result(report(...pods, dbOnly, flow), 'f');
      assert.equal(f.to, '10.244.0.9 (shop/db-0)');
      assert.equal(f.predicted, 'Denied');
    }
  });
});

// A real server on 127.0.0.1 and an ephemeral port, real HTTP requests through node:http's global agent
// (which keeps connections alive since Node 19), and a close() that must leave no handle behind (mocha
// runs without --exit).
import { strict as assert } from 'node:assert';
import { request } from 'node:http';
import {
  createMetrics,
  createMetricsServer,
  type MetricsServer,
  type Readiness,
} from '../../src/metrics/index.js';

interface Reply {
  status: number;
  contentType: string | undefined;
  body: string;
}

function get(url: string, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], body });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the metrics HTTP server', () => {
  const metrics = createMetrics();
  metrics.setLeader(true);
  let readiness: Readiness = { ready: false, reason: 'caches not synced' };
  let server: MetricsServer;
  let base: string;

  before(async () => {
    server = createMetricsServer({
      registry: metrics.registry,
      readiness: () => readiness,
      host: '127.0.0.1',
      port: 0,
    });
    base = await server.listen();
  });
  after(() => server.close());

  it('serves the registry on /metrics with the registry content type', async () => {
    const reply = await get(`${base}/metrics`);
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, metrics.registry.contentType);
    assert.match(reply.body, /^flowprobe_leader 1$/m);
  });

  it('answers /healthz while the process runs', async () => {
    assert.equal((await get(`${base}/healthz`)).status, 200);
  });

  it('answers /readyz with 503 and the reason until the operator says it is ready', async () => {
    readiness = { ready: false, reason: 'caches not synced' };
    const notReady = await get(`${base}/readyz`);
    assert.equal(notReady.status, 503);
    assert.match(notReady.body, /caches not synced/);
    readiness = { ready: true };
    assert.equal((await get(`${base}/readyz`)).status, 200);
  });

  it('ignores a query string on a known path', async () => {
    assert.equal((await get(`${base}/healthz?verbose=1`)).status, 200);
  });

  it('answers HEAD without a body', async () => {
    const reply = await get(`${base}/metrics`, 'HEAD');
    assert.equal(reply.status, 200);
    assert.equal(reply.body, '');
  });

  const refusals: [string, string, number][] = [
    ['an unknown path', 'GET /nope', 404],
    ['a POST', 'POST /metrics', 405],
    ['a DELETE', 'DELETE /healthz', 405],
  ];
  for (const [what, line, status] of refusals) {
    it(`answers ${what} with ${status}`, async () => {
      const [method, path] = line.split(' ') as [string, string];
      assert.equal((await get(`${base}${path}`, method)).status, status);
    });
  }

  it('answers 500 when the registry cannot render', async () => {
    const failing = createMetricsServer({
      registry: {
        contentType: 'text/plain',
        metrics: () => Promise.reject(new Error('collect failed')),
      } as never,
      readiness: () => ({ ready: true }),
      host: '127.0.0.1',
      port: 0,
    });
    const url = await failing.listen();
    try {
      const reply = await get(`${url}/metrics`);
      assert.equal(reply.status, 500);
      assert.match(reply.body, /collect failed/);
    } finally {
      await failing.close();
    }
  });

  it('closes with a keep-alive connection still open, and twice without harm', async () => {
    const other = createMetricsServer({
      registry: metrics.registry,
      readiness: () => readiness,
      host: '127.0.0.1',
      port: 0,
    });
    const url = await other.listen();
    assert.equal((await get(`${url}/healthz`)).status, 200);
    await other.close();
    await other.close();
    await assert.rejects(get(`${url}/healthz`));
  });

  it('rejects listen on a port already taken', async () => {
    const port = Number(new URL(base).port);
    const clash = createMetricsServer({
      registry: metrics.registry,
      readiness: () => readiness,
      host: '127.0.0.1',
      port,
    });
    await assert.rejects(clash.listen(), /EADDRINUSE/);
    await clash.close();
  });
});

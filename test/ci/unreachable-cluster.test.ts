/**
 * `flowprobe run` against an API server it cannot use, as a CI job meets one: a server that accepts
 * connections and never answers (an overloaded or half-dead control plane, a proxy that hangs), and one
 * that refuses them. Both listen on loopback only (127.0.0.1, ports this test opens). The run must exit 2
 * within its --timeout, naming the server and, where there is one, the system error.
 */
import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCli, type CliResult } from '../support/run-cli.js';

const TEST = `apiVersion: flowprobe.dev/v1alpha1
kind: ConnectivityTest
metadata: {name: baseline, namespace: shop}
spec:
  flows:
    - {name: web-to-api, from: {labels: {app: web}}, to: {ip: 10.0.0.1}, port: 80, expect: Allowed}
`;

function kubeconfig(port: number): string {
  return `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: not-a-secret}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`;
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('flowprobe run against an API server it cannot use', function () {
  this.timeout(60_000);
  let dir = '';
  const sockets: Socket[] = [];
  // Accepts every connection and never says a word, not even a TLS handshake.
  const silent = createServer((socket) => sockets.push(socket));

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-unreachable-'));
    writeFileSync(join(dir, 'test.yaml'), TEST);
  });

  after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(port: number, timeout: string, boundMs: number): Promise<CliResult> {
    const file = join(dir, `kubeconfig-${port}`);
    writeFileSync(file, kubeconfig(port), { mode: 0o600 });
    const cli = startCli(['run', '-f', join(dir, 'test.yaml'), '--kubeconfig', file, '--timeout', timeout]);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        cli.child.kill('SIGKILL');
        reject(new Error(`still running ${boundMs / 1000} s later, past its --timeout ${timeout}`));
      }, boundMs);
    });
    try {
      return await Promise.race([cli.result, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  it('exits 2 within its --timeout 5s when the server never answers, naming the server', async () => {
    const port = await listen(silent);
    const r = await run(port, '5s', 20_000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`timed out after 5s before the API server at https://127\\.0\\.0\\.1:${port} answered`),
    );
  });

  it('exits 2 when the server refuses the connection, naming the server and the system error', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    const r = await run(port, '30s', 30_000);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`cannot reach https://127\\.0\\.0\\.1:${port}: connect ECONNREFUSED`));
  });
});

/**
 * `flowprobe run --report FILE` with a FILE that cannot be written: exit 2 at once, naming the path and why,
 * before the run reads the cluster or creates a probe pod (a typo should not cost a whole run). The
 * kubeconfig points at a loopback server this test opens, which counts the connections it gets: none.
 */
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/run-cli.js';

const TEST = `apiVersion: flowprobe.dev/v1alpha1
kind: ConnectivityTest
metadata: {name: baseline, namespace: shop}
spec:
  flows:
    - {name: web-to-api, from: {labels: {app: web}}, to: {ip: 10.0.0.1}, port: 80, expect: Allowed}
`;

describe('flowprobe run --report FILE that cannot be written', function () {
  this.timeout(60_000);
  let dir = '';
  const connections: Socket[] = [];
  const server = createServer((socket) => connections.push(socket));
  let kubeconfig = '';

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'flowprobe-report-path-'));
    writeFileSync(join(dir, 'test.yaml'), TEST);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:${address.port}", insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: not-a-secret}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`,
      { mode: 0o600 },
    );
    mkdirSync(join(dir, 'a-directory'));
  });

  after(() => {
    for (const s of connections) s.destroy();
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cases: [string, (d: string) => string, RegExp][] = [
    [
      'in a directory that does not exist',
      (d) => join(d, 'missing', 'report.html'),
      /its directory does not exist/,
    ],
    ['that is a directory', (d) => join(d, 'a-directory'), /is a directory, not a file/],
    ['under a file', (d) => join(d, 'test.yaml', 'report.html'), /a part of its path is not a directory/],
  ];
  for (const [what, path, why] of cases) {
    it(`exits 2 before touching the cluster for a path ${what}`, async () => {
      const report = path(dir);
      const r = await runCli([
        'run',
        '-f',
        join(dir, 'test.yaml'),
        '--kubeconfig',
        kubeconfig,
        '--report',
        report,
      ]);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.includes(`flowprobe run: --report ${report}: `), r.stderr);
      assert.match(r.stderr, why);
      assert.equal(connections.length, 0, 'no connection to the API server');
    });
  }

  it('leaves nothing behind when it checks a path that can be written', async () => {
    // The check creates the file and removes it; the run then fails on the silent server's TLS (exit 2).
    const report = join(dir, 'report.html');
    const r = await runCli([
      ...['run', '-f', join(dir, 'test.yaml'), '--kubeconfig', kubeconfig, '--report', report],
      ...['--timeout', '5s'],
    ]);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stderr, /--report/);
    assert.equal(existsSync(report), false, 'no report of a run that never ran');
  });
});

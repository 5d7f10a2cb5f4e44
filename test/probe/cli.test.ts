import { strict as assert } from 'node:assert';
import { runCli } from '../support/run-cli.js';

describe('flowprobe probe, given bad arguments', () => {
  const cases: [string, string[], RegExp][] = [
    ['a bad port', ['tcp://10.251.0.1:0'], /invalid target 'tcp:\/\/10.251.0.1:0': the port must be 1-65535/],
    ['a bad host', ['tcp://bad_host:80'], /invalid target 'tcp:\/\/bad_host:80': not a valid DNS name/],
    ['an unsupported scheme', ['https://api:443/'], /unsupported scheme 'https'/],
    ['a path on a TCP target', ['tcp://api:80/x'], /tcp targets take no path/],
    ['a timeout of 0', ['--timeout', '0', 'tcp://api:80'], /--timeout must be a whole number 1-60, got '0'/],
    ['too many attempts', ['--attempts', '11', 'tcp://api:80'], /--attempts must be a whole number 1-10/],
    ['an unknown output format', ['-o', 'yaml', 'tcp://api:80'], /-o must be json or table/],
    [
      'a busybox that does not exist',
      ['--busybox', '/nonexistent/busybox', 'tcp://api:80'],
      /busybox '\/nonexistent\/busybox' is not an executable file/,
    ],
  ];
  for (const [name, args, message] of cases) {
    it(`exits 2 and says why on ${name}`, async () => {
      const r = await runCli(['probe', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stdout, '');
    });
  }

  it('exits 2 when no target is given', async () => {
    const r = await runCli(['probe']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /missing required argument 'target'/);
  });
});

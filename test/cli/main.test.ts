import { strict as assert } from 'node:assert';
import { runCli } from '../support/run-cli.js';

describe('the flowprobe command line', () => {
  it('prints help and exits 0', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Usage: flowprobe/);
  });

  it('exits 2 with a message on an unknown option', async () => {
    const r = await runCli(['--no-such-option']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown option '--no-such-option'/);
  });
});

import { strict as assert } from 'node:assert';
import { probeCommand, SCRIPT_NAME } from '../../src/probe/command.js';
import { PROBE_SCRIPT } from '../../src/probe/script.js';
import { settleOptions } from '../../src/probe/settle.js';

describe("the probe pod's command", () => {
  it('runs the constant script with the settle options and one argument per probe', () => {
    const command = probeCommand(
      [
        { kind: 'tcp', host: '10.0.0.1', port: 80, timeoutSeconds: 2 },
        { kind: 'http', host: 'api', port: 8080, path: '/healthz', timeoutSeconds: 3 },
      ],
      settleOptions(2, 1),
    );
    assert.deepEqual(command, [
      'sh',
      '-c',
      PROBE_SCRIPT,
      SCRIPT_NAME,
      'settle|1|1|0|0|0|0',
      'tcp|10.0.0.1|80|2',
      'http|api|8080|3|/healthz',
    ]);
  });

  it('keeps user input out of the script text', () => {
    const command = probeCommand(
      [{ kind: 'tcp', host: 'evil.example', port: 1, timeoutSeconds: 2 }],
      settleOptions(2),
    );
    assert.ok(!command[2]!.includes('evil'));
  });
});

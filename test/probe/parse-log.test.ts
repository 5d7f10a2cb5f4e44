import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseProbeLog } from '../../src/probe/parse-log.js';
import { parseLine } from '../../src/probe/result-line.js';

const OPEN = '10.0.0.1 (10.0.0.1:80) open;sent 0, rcvd 0';
const TIMED_OUT = 'nc: 10.0.0.1 (10.0.0.1:80): Connection timed out;sent 0, rcvd 0';

describe('reading the probe log', () => {
  it('reads a settled result with every attempt', () => {
    const log = [
      `FLOWPROBE1|1|tcp|10.0.0.1|80||1|3|0,10,tcp,0,10.0.0.1,,${OPEN}|1000,0,tcp,0,10.0.0.1,,${OPEN}|2010,10,tcp,0,10.0.0.1,,${OPEN}`,
      'FLOWPROBE1-END|1',
    ].join('\n');
    const [r] = parseProbeLog(log, ['tcp://10.0.0.1:80']);
    assert.equal(r?.outcome, 'Connected');
    assert.equal(r.detail, 'tcp-open');
    assert.equal(r.settled, true);
    assert.equal(r.durationMs, 2020);
    assert.deepEqual(
      r.attempts.map((a) => [a.atMs, a.durationMs, a.outcome]),
      [
        [0, 10, 'Connected'],
        [1000, 0, 'Connected'],
        [2010, 10, 'Connected'],
      ],
    );
  });

  it('takes the last attempt as the answer and keeps the earlier ones, settled or not', () => {
    const log = `FLOWPROBE1|1|tcp|10.0.0.1|80||0|2|0,10,tcp,0,10.0.0.1,,${OPEN}|1000,2000,tcp,1,10.0.0.1,,${TIMED_OUT}`;
    const [r] = parseProbeLog(log, ['t']);
    assert.equal(r?.outcome, 'Blocked');
    assert.equal(r.settled, false);
    assert.equal(r.attempts[0]?.outcome, 'Connected');
    assert.equal(r.message, TIMED_OUT);
  });

  it('keeps the HTTP status and commas in messages', () => {
    const log = 'FLOWPROBE1|1|http|api|80|/|1|1|0,5,http,1,10.0.0.9,404,HTTP/1.1 404 Not Found, really';
    const [r] = parseProbeLog(log, ['http://api/']);
    assert.equal(r?.httpStatus, 404);
    assert.equal(r.attempts[0]?.address, '10.0.0.9');
    assert.equal(r.message, 'HTTP/1.1 404 Not Found, really');
  });

  it('matches lines to probes by index, whatever order the concurrent jobs finished in', () => {
    const log = [
      `FLOWPROBE1|2|tcp|b|80||1|1|0,1,tcp,0,10.0.0.2,,${OPEN}`,
      `FLOWPROBE1|1|tcp|a|80||1|1|0,1,tcp,1,10.0.0.1,,${TIMED_OUT}`,
    ].join('\n');
    assert.deepEqual(
      parseProbeLog(log, ['a', 'b']).map((r) => [r.target, r.outcome]),
      [
        ['a', 'Blocked'],
        ['b', 'Connected'],
      ],
    );
  });

  it('ignores log prefixes such as timestamps, and carriage returns', () => {
    const log = `2026-11-24T04:00:00Z FLOWPROBE1|1|tcp|a|80||1|1|0,1,tcp,0,10.0.0.1,,${OPEN}\r\n`;
    assert.equal(parseProbeLog(log, ['a'])[0]?.outcome, 'Connected');
  });

  it('reports a probe without a line as an Error that quotes the output', () => {
    const [r] = parseProbeLog('sh: nc: not found', ['a']);
    assert.equal(r?.outcome, 'Error');
    assert.equal(r.detail, 'no-result-line');
    assert.match(r.message, /nc: not found/);
  });

  it('reports a script that refused its settle argument', () => {
    const [r] = parseProbeLog('FLOWPROBE1-ERROR|invalid settle argument', ['a']);
    assert.equal(r?.detail, 'no-result-line');
    assert.match(r.message, /refused to run: invalid settle argument/);
  });

  const malformed: [string, string][] = [
    ['a count that does not match the records', `FLOWPROBE1|1|tcp|a|80||1|2|0,1,tcp,0,a,,${OPEN}`],
    ['an attempt with a non-numeric exit code', `FLOWPROBE1|1|tcp|a|80||1|1|0,1,tcp,x,a,,${OPEN}`],
    ['an attempt with too few fields', 'FLOWPROBE1|1|tcp|a|80||1|1|0,1,tcp'],
    ['a settled flag that is neither 0 nor 1', `FLOWPROBE1|1|tcp|a|80||yes|1|0,1,tcp,0,a,,${OPEN}`],
    ['no attempts at all', 'FLOWPROBE1|1|tcp|a|80||1|0'],
  ];
  for (const [name, line] of malformed) {
    it(`reports ${name} as an Error that keeps the raw line`, () => {
      const [r] = parseProbeLog(line, ['a']);
      assert.equal(r?.outcome, 'Error');
      assert.equal(r.detail, 'malformed-result-line');
      assert.equal(r.message, line);
    });
  }

  it('never throws, whatever the text, and returns one result per target', () => {
    const fragment = fc.oneof(
      fc.string(),
      fc.constantFrom(
        'FLOWPROBE1|',
        'FLOWPROBE1-END|',
        'FLOWPROBE1-ERROR|',
        '|',
        ',',
        '\n',
        '1',
        '0',
        'tcp',
        'http',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fragment, { maxLength: 40 }),
        fc.array(fc.string(), { maxLength: 3 }),
        (parts, targets) => {
          const text = parts.join('');
          const results = parseProbeLog(text, targets);
          assert.equal(results.length, targets.length);
          for (const line of text.split('\n')) parseLine(line);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

import { strict as assert } from 'node:assert';
import { cidrContains, CidrParseError, parseCidr, parseIp } from '../../src/policy/index.js';

const contains: [string, string, boolean][] = [
  ['10.0.0.0/8', '10.255.1.2', true],
  ['10.0.0.0/8', '11.0.0.1', false],
  ['172.16.0.0/12', '172.31.255.255', true],
  ['172.16.0.0/12', '172.32.0.0', false],
  ['0.0.0.0/0', '169.254.169.254', true],
  ['192.168.1.7/32', '192.168.1.7', true],
  ['192.168.1.7/32', '192.168.1.8', false],
  ['10.1.2.3/8', '10.9.9.9', true], // host bits are masked
  ['2001:db8::/32', '2001:db8:ffff::1', true],
  ['2001:db8::/32', '2001:db9::1', false],
  ['::/0', '::1', true],
  ['fd00::/8', 'fdff:1:2:3:4:5:6:7', true],
  ['::ffff:0:0/96', '::ffff:10.0.0.1', true],
  ['0.0.0.0/0', '::1', false], // families never mix
  ['::/0', '10.0.0.1', false],
];

describe('CIDR math', () => {
  for (const [cidr, ip, want] of contains) {
    it(`${cidr} ${want ? 'contains' : 'does not contain'} ${ip}`, () => {
      const addr = parseIp(ip);
      assert.ok(addr);
      assert.equal(cidrContains(parseCidr(cidr), addr), want);
    });
  }

  for (const bad of [
    '10.0.0.0',
    '10.0.0/8',
    '10.0.0.0/33',
    '256.0.0.0/8',
    '010.0.0.0/8',
    '1::2::3/64',
    '::/129',
    'x/1',
  ]) {
    it(`rejects ${bad}`, () => {
      assert.throws(() => parseCidr(bad), CidrParseError);
    });
  }

  it('parses IPv6 forms', () => {
    assert.equal(parseIp('::')?.value, 0n);
    assert.equal(parseIp('::1')?.value, 1n);
    assert.equal(parseIp('1::')?.value, 1n << 112n);
    assert.equal(parseIp('1:2:3:4:5:6:7:8')?.family, 6);
    assert.equal(parseIp('1:2:3:4:5:6:7'), undefined);
    assert.equal(parseIp('example.com'), undefined);
  });
});

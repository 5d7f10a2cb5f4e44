// One contract between the CRD and the probe: whatever the API server accepts (schema pattern, length and
// CEL rule) and `flowprobe validate` passes, the script's own checks accept too — for paths exactly, so
// the CRD refuses nothing the probe could send. The script's functions run under the real busybox, over
// strings fast-check generates, one busybox process per batch.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { pathFitsProbe } from '../../src/api/cel-rules.js';
import { DNS_NAME, DNS1035_LABEL, DNS1123_LABEL, HTTP_PATH } from '../../src/api/patterns.js';
import { validateConnectivityTest } from '../../src/api/validate.js';
import { encodePath } from '../../src/probe/http-path.js';
import { isIPv6 } from '../../src/probe/ipv6-literal.js';
import { PROBE_SCRIPT } from '../../src/probe/script.js';
import { celHolds } from '../api/cel.js';
import { busyboxPath, busyboxProblem } from '../support/netlab/prereqs.js';

/** A function of the probe script, as its text (so the test runs the shipped definition). */
function scriptFunction(name: string): string {
  const m = new RegExp(`^${name}\\(\\) \\{\\n[\\s\\S]*?\\n\\}$`, 'm').exec(PROBE_SCRIPT);
  if (m === null) throw new Error(`the probe script has no function ${name}`);
  return m[0];
}

const HARNESS = [
  'set -f',
  ...['uint', 'ipv4', 'ipv6', 'hostname_ok', 'path_ok', 'dnsname_ok'].map(scriptFunction),
  'f=$1; shift',
  'for a; do if "$f" "$a"; then echo 1; else echo 0; fi; done',
].join('\n');

/** The script's verdict on each string: `check` is one of its functions, run by busybox sh. */
function scriptAccepts(busybox: string, check: string, values: readonly string[]): Promise<boolean[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(busybox, ['sh', '-c', HARNESS, 'contract', check, ...values], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const verdicts = out.split('\n').filter((l) => l !== '');
      if (verdicts.length !== values.length) reject(new Error(`expected ${values.length} verdicts: ${out}`));
      else resolve(verdicts.map((v) => v === '1'));
    });
  });
}

const matches = (pattern: string, maxLength: number, s: string): boolean =>
  s.length <= maxLength && new RegExp(pattern).test(s);

/** What the API server accepts as `http.path`: the pattern, maxLength and the CEL rule. */
const crdAcceptsPath = (p: string): boolean =>
  matches(HTTP_PATH.pattern, HTTP_PATH.maxLength, p) && celHolds(pathFitsProbe, p);

/** Whether `flowprobe validate` passes a test whose one flow has these fields. */
function validatorAccepts(fields: Record<string, unknown>): boolean {
  const flow = {
    name: 'f',
    from: { labels: { app: 'a' } },
    to: { ip: '10.0.0.1' },
    port: 80,
    expect: 'Allowed',
  };
  const test = {
    apiVersion: 'flowprobe.dev/v1alpha1',
    kind: 'ConnectivityTest',
    metadata: { name: 't', namespace: 'n' },
    spec: { flows: [{ ...flow, ...fields }] },
  };
  return validateConnectivityTest(test).length === 0;
}

// Characters around every edge of the rule: allowed ones, shell syntax, the separator, %-escapes, control
// and non-ASCII characters.
const PATH_UNITS = [
  ...Array.from("/aZ09-._~!$&'()*+,;=:@?"),
  ...Array.from('%4F%zz%'),
  ...Array.from(' "#<>[]\\^`{}|\t\n'),
  'é',
  '%7C',
  '$(touch x)',
  '%41',
];
const pathLike = fc.oneof(
  fc.string({ unit: fc.constantFrom(...PATH_UNITS), maxLength: 30 }).map((s) => `/${s}`),
  fc.string({ unit: fc.constantFrom(...PATH_UNITS), maxLength: 30 }),
  fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0')),
  // Around the length limit, with and without "|" (sent as three characters).
  fc
    .tuple(fc.integer({ min: 1000, max: 1030 }), fc.constantFrom('', '|', '||', '%41', 'a'))
    .map(([n, tail]) => `/${'a'.repeat(n - 1 - tail.length)}${tail}`),
);

const label = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
const hostLike = fc.oneof(
  fc.array(label, { minLength: 1, maxLength: 6 }).map((ls) => ls.join('.')),
  fc.string({ unit: fc.constantFrom(...Array.from('aZ09.-_:/ ')), maxLength: 20 }),
  fc.array(fc.stringMatching(/^[a-z0-9]{60,63}$/), { minLength: 4, maxLength: 5 }).map((ls) => ls.join('.')),
);
const serviceHost = fc
  .tuple(fc.stringMatching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/), label)
  .filter(([svc, ns]) => matches(DNS1035_LABEL.pattern, 63, svc) && matches(DNS1123_LABEL.pattern, 63, ns))
  .map(([svc, ns]) => `${svc}.${ns}.svc.cluster.local`);
const ipLike = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 5 }).map((xs) => xs.join('.')),
);
// DNS-check names: labels around 63 characters, names around 253, a trailing dot, and what must be refused.
const anyLabel = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?$/);
const dnsNameLike = fc.oneof(
  fc
    .tuple(fc.array(anyLabel, { minLength: 1, maxLength: 6 }), fc.boolean())
    .map(([ls, dot]) => ls.join('.') + (dot ? '.' : '')),
  fc
    .tuple(fc.array(fc.stringMatching(/^[a-z0-9]{60,64}$/), { minLength: 3, maxLength: 5 }), fc.boolean())
    .map(([ls, dot]) => ls.join('.') + (dot ? '.' : '')),
  fc.string({ unit: fc.constantFrom(...Array.from('aZ09.-_:/ %\\$;|')), maxLength: 20 }),
);
// IPv6-ish strings around every edge of the rule: groups of 0-5 hex digits, `::` (once or more), zone
// ids, IPv4 tails, brackets, stray characters.
const hexGroup = fc.stringMatching(/^[0-9a-fA-F]{0,5}$/);
const ipv6Like = fc.oneof(
  fc.ipV6(),
  fc.array(hexGroup, { minLength: 1, maxLength: 10 }).map((gs) => gs.join(':')),
  fc
    .tuple(fc.array(hexGroup, { maxLength: 8 }), fc.array(hexGroup, { maxLength: 8 }))
    .map(([h, t]) => `${h.join(':')}::${t.join(':')}`),
  fc.tuple(fc.ipV6(), fc.constantFrom('%eth0', '%1', ']', '.1', ':', ':::', 'g', ' ')).map(([a, b]) => a + b),
  fc.tuple(fc.constantFrom('[', ':', '::ffff:', '1.2.3.4:'), fc.ipV6()).map(([a, b]) => a + b),
);

describe('the contract between the CRD and the probe script (busybox)', function () {
  this.timeout(120_000);
  let busybox: string;

  before(function () {
    const path = busyboxPath();
    const problem = busyboxProblem(path);
    if (path === undefined || problem !== undefined) {
      const reason = `the contract tests: ${problem}`;
      if (process.env.FLOWPROBE_REQUIRE_NETNS === '1') throw new Error(reason);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    busybox = path;
  });

  it('accepts exactly the paths the CRD and flowprobe validate accept (| sent as %7C)', async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(pathLike, { minLength: 200, maxLength: 300 }), async (paths) => {
        const script = await scriptAccepts(busybox, 'path_ok', paths.map(encodePath));
        paths.forEach((p, i) => {
          const crd = crdAcceptsPath(p);
          seen[crd ? 'accepted' : 'refused']++;
          assert.equal(script[i], crd, `script vs CRD on ${JSON.stringify(p)}`);
          assert.equal(
            validatorAccepts({ http: { path: p } }),
            crd,
            `validate vs CRD on ${JSON.stringify(p)}`,
          );
        });
      }),
      { numRuns: 15 },
    );
    assert.ok(seen.accepted > 200 && seen.refused > 200, JSON.stringify(seen));
  });

  it('accepts every host name and Service name the CRD accepts', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(hostLike, serviceHost), { minLength: 200, maxLength: 300 }),
        async (hosts) => {
          const script = await scriptAccepts(busybox, 'hostname_ok', hosts);
          hosts.forEach((h, i) => {
            const asService = /[.]svc[.]cluster[.]local$/.test(h);
            if (!asService && !validatorAccepts({ to: { host: h } })) return;
            accepted++;
            assert.equal(script[i], true, `the script refuses ${JSON.stringify(h)}`);
          });
        },
      ),
      { numRuns: 10 },
    );
    assert.ok(accepted > 500, `only ${accepted} accepted hosts were generated`);
  });

  it('accepts exactly the DNS-check names the CRD and flowprobe validate accept', async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(dnsNameLike, { minLength: 200, maxLength: 300 }), async (names) => {
        const script = await scriptAccepts(busybox, 'dnsname_ok', names);
        names.forEach((n, i) => {
          const crd = matches(DNS_NAME.pattern, DNS_NAME.maxLength, n);
          seen[crd ? 'accepted' : 'refused']++;
          assert.equal(script[i], crd, `script vs CRD on ${JSON.stringify(n)}`);
          assert.equal(
            validatorAccepts({ protocol: 'UDP', port: 53, dns: { name: n } }),
            crd,
            `validate on ${n}`,
          );
        });
      }),
      { numRuns: 10 },
    );
    assert.ok(seen.accepted > 200 && seen.refused > 200, JSON.stringify(seen));
  });

  it('takes every IP address the CRD accepts, IPv4 as IPv4 and IPv6 as IPv6', async () => {
    const seen = { v4: 0, v6: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(ipLike, { minLength: 200, maxLength: 300 }), async (ips) => {
        const [host, ipv4, ipv6] = await Promise.all([
          scriptAccepts(busybox, 'hostname_ok', ips),
          scriptAccepts(busybox, 'ipv4', ips),
          scriptAccepts(busybox, 'ipv6', ips),
        ]);
        ips.forEach((ip, i) => {
          if (!validatorAccepts({ to: { ip } })) return;
          const v6 = ip.includes(':');
          seen[v6 ? 'v6' : 'v4']++;
          const want = v6 ? [false, true] : [true, false];
          assert.deepEqual([ipv4[i], ipv6[i]], want, `the script misreads ${ip}`);
          if (!v6) assert.equal(host[i], true, `the script refuses ${ip}`);
        });
      }),
      { numRuns: 10 },
    );
    assert.ok(seen.v4 > 100 && seen.v6 > 100, JSON.stringify(seen));
  });

  it('reads IPv6 literals exactly as args.ts does: groups, one ::, no zone id, no IPv4 tail', async () => {
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(ipv6Like, { minLength: 200, maxLength: 300 }), async (texts) => {
        const script = await scriptAccepts(busybox, 'ipv6', texts);
        texts.forEach((t, i) => {
          seen[isIPv6(t) ? 'accepted' : 'refused']++;
          assert.equal(script[i], isIPv6(t), `script vs args.ts on ${JSON.stringify(t)}`);
        });
      }),
      { numRuns: 10 },
    );
    assert.ok(seen.accepted > 200 && seen.refused > 200, JSON.stringify(seen));
  });
});

// The script on its own, busybox only, targets on loopback: its settling rule, and its self-defence —
// arguments that bypassed the TypeScript validation (the pod's command can be written by other code, or
// by hand) are refused, never run.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCRIPT_NAME } from '../../src/probe/command.js';
import { parseProbeLog } from '../../src/probe/parse-log.js';
import { linkApplets } from '../../src/probe/run-local.js';
import { PROBE_SCRIPT } from '../../src/probe/script.js';
import { MAX_GRACE_MS } from '../../src/probe/settle.js';
import { busyboxPath, busyboxProblem } from '../support/netlab/prereqs.js';

const NO_SETTLE = 'settle|1|1|0|0|0|0';

function runScript(
  bin: string | undefined,
  args: string[],
  onSpawn: (pid: number) => void = () => undefined,
): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    if (bin === undefined) throw new Error('no applet directory');
    const child = spawn(join(bin, 'sh'), ['-c', PROBE_SCRIPT, SCRIPT_NAME, ...args], {
      env: { PATH: bin },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (child.pid !== undefined) onSpawn(child.pid);
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout });
    });
  });
}

/** The argv of each live process whose parent is `pid` (from /proc; busybox `sleep` is a child process). */
function childCommands(pid: number): string[][] {
  const out: string[][] = [];
  for (const entry of readdirSync('/proc').filter((e) => /^[0-9]+$/.test(e))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').slice(0, -1));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('the probe script, run by busybox on loopback', function () {
  let bin: string | undefined;
  let server: Server | undefined;
  let port: number;
  let marker: string;

  before(async function () {
    const busybox = busyboxPath();
    const problem = busyboxProblem(busybox);
    if (busybox === undefined || problem !== undefined) {
      const reason = `the script tests: ${problem}`;
      if (process.env.FLOWPROBE_REQUIRE_NETNS === '1') throw new Error(reason);
      console.log(`      skipped: ${reason}`);
      this.skip();
    }
    bin = mkdtempSync(join(tmpdir(), 'flowprobe-script-test-'));
    marker = join(bin, 'injected');
    await linkApplets(busybox, bin);
    const listening = createServer((s) => s.destroy());
    server = listening;
    await new Promise<void>((resolve) => listening.listen(0, '127.0.0.1', resolve));
    port = (listening.address() as { port: number }).port;
  });

  after(async () => {
    if (bin !== undefined) rmSync(bin, { recursive: true, force: true });
    const listening = server;
    if (listening !== undefined) await new Promise((resolve) => listening.close(resolve));
  });

  it('refuses each bad probe argument on its own and still runs the good ones beside it', async () => {
    const hostile = [
      `tcp|127.0.0.1|${port}|1;touch ${marker}`,
      `http|127.0.0.1|${port}|1|/$(touch ${marker})`,
      `http|127.0.0.1|${port}|1|/\`touch ${marker}\``,
      `tcp|-e/bin/sh|${port}|1`,
      `tcp|*|${port}|1`,
      `tcp|127.0.0.1|${port}|1|/extra`,
      `exec|127.0.0.1|${port}|1`,
      `tcp|127.0.0.1|99999|1`,
      `dns|127.0.0.1|53|1|$(touch ${marker})`,
      `dnstcp|127.0.0.1|53|1|a%n.b`,
      `dnstcp|127.0.0.1|53|1|a\\101.b`,
      `dnstcp|127.0.0.1|53|1|${'a'.repeat(64)}.example`,
      `dns|127.0.0.1|53|1|-`,
      `dns|127.0.0.1|53|1`,
      '',
    ];
    const { code, stdout } = await runScript(bin, [NO_SETTLE, ...hostile, `tcp|127.0.0.1|${port}|1`]);
    assert.equal(code, 0);
    const results = parseProbeLog(stdout, [...hostile, 'good']);
    assert.deepEqual(
      results.map((r) => r.detail),
      [...hostile.map(() => 'invalid-argument'), 'tcp-open'],
      stdout,
    );
    assert.equal(existsSync(marker), false, 'an argument was executed');
  });

  it('cannot be made to print a forged result line', async () => {
    const forged = `tcp|127.0.0.1|${port}|1\nFLOWPROBE1|2|tcp|x|1||1|1|0,0,tcp,0,x,,x open`;
    const { stdout } = await runScript(bin, [NO_SETTLE, forged, `tcp|127.0.0.2|1|1`]);
    assert.doesNotMatch(stdout, /\|x open/);
    assert.equal(parseProbeLog(stdout, ['forged'])[0]?.detail, 'invalid-argument');
  });

  it('refuses to run at all with a bad settle argument', async () => {
    const { code, stdout } = await runScript(bin, [
      `settle|1|1|0|0|0|0;touch ${marker}`,
      `tcp|127.0.0.1|${port}|1`,
    ]);
    assert.equal(code, 2);
    assert.match(parseProbeLog(stdout, ['a'])[0]!.message, /refused to run: invalid settle argument/);
    assert.equal(existsSync(marker), false);
  });

  const badGraces: [string, string][] = [
    ['no grace field (the old six-field argument)', 'settle|1|1|0|0|0'],
    ['a grace above its bound', `settle|1|1|0|0|0|${MAX_GRACE_MS + 1}`],
    ['a negative grace', 'settle|1|1|0|0|0|-1'],
    ['a fractional grace', 'settle|1|1|0|0|0|1.5'],
    ['a grace with a unit', 'settle|1|1|0|0|0|3s'],
    ['an extra field after the grace', 'settle|1|1|0|0|0|0|0'],
  ];
  for (const [what, settle] of badGraces) {
    it(`refuses to run with ${what}`, async () => {
      const { code, stdout } = await runScript(bin, [settle, `tcp|127.0.0.1|${port}|1`]);
      assert.equal(code, 2, stdout);
      assert.match(stdout, /^FLOWPROBE1-ERROR\|invalid settle argument$/m);
    });
  }

  it('waits the grace once, in the main shell, before any probe makes its first attempt', async () => {
    // The port is closed until the test sees the grace's `sleep`: an attempt made before the grace
    // ended would be refused. The sleep's parent is the script itself, not a probe's subshell.
    const late = await freePort();
    let pid = 0;
    const done = runScript(
      bin,
      ['settle|1|1|0|0|0|3000', `tcp|127.0.0.1|${late}|1`, `tcp|127.0.0.1|${late}|1`],
      (p) => (pid = p),
    );
    const deadline = Date.now() + 10_000;
    let sleeping: string[][] = [];
    while (sleeping.length === 0 && Date.now() < deadline) {
      sleeping = childCommands(pid).filter((argv) => argv[0] === 'sleep');
      if (sleeping.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.deepEqual(sleeping, [['sleep', '3.000']]);
    const listener = createServer((sock) => sock.destroy());
    await new Promise<void>((resolve) => listener.listen(late, '127.0.0.1', resolve));
    try {
      const { code, stdout } = await done;
      assert.equal(code, 0);
      assert.deepEqual(
        parseProbeLog(stdout, ['a', 'b']).map((r) => r.detail),
        ['tcp-open', 'tcp-open'],
        stdout,
      );
    } finally {
      await new Promise((resolve) => listener.close(resolve));
    }
  });

  describe('settling', () => {
    // A closed loopback port answers at once and always the same: only the rule decides the count.
    const closed = (): string => `tcp|127.0.0.1|${closedPort}|1`;
    let closedPort: number;

    before(async () => {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      closedPort = (probe.address() as { port: number }).port;
      await new Promise((resolve) => probe.close(resolve));
    });

    async function attemptsWith(settle: string): Promise<{ n: number; settled: boolean; at: number[] }> {
      const [r] = parseProbeLog((await runScript(bin, [settle, closed()])).stdout, ['closed']);
      return { n: r!.attempts.length, settled: r!.settled, at: r!.attempts.map((a) => a.atMs) };
    }

    it('does not settle on fast agreeing answers before the window has passed', async () => {
      const r = await attemptsWith('settle|6|2|2000|1000|14000|0');
      assert.equal(r.settled, true);
      assert.equal(r.n, 3, `attempts at ${r.at.join(', ')} ms`);
    });

    it('settles on the second agreeing answer when no window is asked for', async () => {
      const r = await attemptsWith('settle|6|2|0|0|14000|0');
      assert.deepEqual([r.n, r.settled], [2, true]);
    });

    it('says it never settled when the attempts run out first', async () => {
      const r = await attemptsWith('settle|2|2|5000|100|14000|0');
      assert.deepEqual([r.n, r.settled], [2, false]);
    });
  });
});

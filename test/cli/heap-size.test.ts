// The arithmetic of the operator's self-sized heap (src/cli/heap-size.ts): which memory limit counts, the
// cap it gives, and when the user's own node flags win.
import { strict as assert } from 'node:assert';
import {
  heapLaunch,
  memoryLimitBytes,
  OLD_SPACE_FLOOR_MIB,
  oldSpaceMiB,
  type MemoryLimitSources,
} from '../../src/cli/heap-size.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;
const TOTAL = 16 * GiB;
/** What cgroup v1 writes for "no limit": LONG_MAX rounded down to a 4 KiB page. */
const V1_UNLIMITED = '9223372036854771712\n';

describe('the memory limit the operator sizes its heap by', () => {
  const table: [string, Omit<MemoryLimitSources, 'totalMemory'>, number | undefined][] = [
    ['none at all', {}, undefined],
    ['the downward API alone', { downwardApi: String(256 * MiB) }, 256 * MiB],
    ["the process's cgroup alone (libuv)", { constrained: 512 * MiB }, 512 * MiB],
    ['a cgroup v2 memory.max', { cgroupFiles: ['268435456\n'] }, 256 * MiB],
    ['cgroup v2 "max": no limit', { cgroupFiles: ['max\n'] }, undefined],
    ['cgroup v1 unlimited: no limit', { cgroupFiles: [undefined, V1_UNLIMITED] }, undefined],
    ['a "limit" above the machine: no limit', { constrained: 2 * TOTAL }, undefined],
    ['the tightest of several', { downwardApi: String(GiB), constrained: 300 * MiB }, 300 * MiB],
    ['a quantity the kubelet never writes: ignored', { downwardApi: '256Mi' }, undefined],
    ['zero: ignored', { downwardApi: '0', constrained: 0 }, undefined],
  ];
  for (const [name, sources, expected] of table) {
    it(`${name} → ${expected === undefined ? "node's default" : `${expected / MiB} MiB`}`, () => {
      assert.equal(memoryLimitBytes({ ...sources, totalMemory: TOTAL }), expected);
    });
  }
});

describe('the old-space cap for a memory limit', () => {
  const table: [string, number, number][] = [
    ['the shipped 256Mi', 256 * MiB, 128],
    ['512Mi', 512 * MiB, 320],
    ['1Gi', GiB, 704],
    ['2Gi', 2 * GiB, 1472],
    ['a limit too small for the headroom: the floor', 96 * MiB, OLD_SPACE_FLOOR_MIB],
    ['a tiny limit: the floor', 16 * MiB, OLD_SPACE_FLOOR_MIB],
  ];
  for (const [name, limit, cap] of table) {
    it(`${name} → ${cap} MiB`, () => {
      assert.equal(oldSpaceMiB(limit), cap);
    });
  }

  it('never leaves less than the headroom outside the heap above the floor', () => {
    for (let limitMiB = 128; limitMiB <= 64 * 1024; limitMiB *= 2)
      assert.ok(limitMiB - oldSpaceMiB(limitMiB * MiB) >= 64 + limitMiB / 4 - 1, `${limitMiB} MiB`);
  });
});

describe('the node flags of a self-sized heap', () => {
  const none = { nodeOptions: '', execArgv: [], env: {} };

  it("adds nothing without a limit: node's own default stands", () => {
    assert.equal(heapLaunch(undefined, none), undefined);
  });

  it('caps old space, keeps the young generation and helper threads small, and uses one malloc arena', () => {
    assert.deepEqual(heapLaunch(256 * MiB, none), {
      nodeFlags: ['--max-old-space-size=128', '--max-semi-space-size=1', '--v8-pool-size=1'],
      env: { MALLOC_ARENA_MAX: '1' },
    });
  });

  const sized: [string, { nodeOptions: string; execArgv: string[] }][] = [
    ['NODE_OPTIONS=--max-old-space-size=100', { nodeOptions: '--max-old-space-size=100', execArgv: [] }],
    ["node's own flag, in V8's spelling", { nodeOptions: '', execArgv: ['--max_old_space_size=100'] }],
    ['a percentage', { nodeOptions: '--inspect --max-old-space-size-percentage=50', execArgv: [] }],
    ['--max-heap-size', { nodeOptions: '', execArgv: ['--max-heap-size=300'] }],
  ];
  for (const [name, given] of sized) {
    it(`leaves a heap the user sized alone: ${name}`, () => {
      assert.equal(heapLaunch(256 * MiB, { ...given, env: {} }), undefined);
    });
  }

  it("keeps the user's young generation, helper threads and malloc arenas", () => {
    const given = {
      nodeOptions: '--max-semi-space-size=16 --v8-pool-size=4',
      execArgv: [],
      env: { MALLOC_ARENA_MAX: '2' },
    };
    assert.deepEqual(heapLaunch(256 * MiB, given), { nodeFlags: ['--max-old-space-size=128'], env: {} });
  });
});

// `npm run bench -- startup` (issue 13): how long the CLI takes to start, against node's own start-up
// (`node -e 0`). It builds the published bin (scripts/bundle.ts `bundleCli`, what package.json `bin` runs)
// and, for comparison, the image's one-file bundle, then times `--help`, `validate` on one file and
// `explain` on the examples, each run many times in turns. Goal: `--help` and `validate` within 0.2 s of
// node. Prints figures, asserts none. FLOWPROBE_BENCH_ROUNDS=N sets the runs per command (default 15).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, bundleCli } from '../scripts/bundle.js';
import { timeStartups, type StartupCommand } from './support/startup-timer.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const ROUNDS = Number(process.env.FLOWPROBE_BENCH_ROUNDS ?? 15);
const ONE_FILE = ['-f', 'examples/production/30-connectivity-test.yaml'];

export default async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowprobe-bench-startup-'));
  try {
    const bin = join(dir, 'cli', 'flowprobe.mjs');
    const image = join(dir, 'flowprobe.mjs');
    await bundleCli(join(dir, 'cli'));
    await bundle(image);
    const node = process.execPath;
    const commands: StartupCommand[] = [
      { label: 'node -e 0', argv: [node, '-e', '0'], expectCode: 0 },
      { label: 'flowprobe --help', argv: [node, bin, '--help'], expectCode: 0 },
      { label: 'flowprobe validate (1 file)', argv: [node, bin, 'validate', ...ONE_FILE], expectCode: 0 },
      // The examples hold three deliberate contradictions: explain exits 1.
      {
        label: 'flowprobe explain examples/',
        argv: [node, bin, 'explain', '-f', 'examples/'],
        expectCode: 1,
      },
      { label: 'flowprobe probe --help', argv: [node, bin, 'probe', '--help'], expectCode: 0 },
      { label: 'image bundle --help', argv: [node, image, '--help'], expectCode: 0 },
    ];
    console.log(
      `startup: ${ROUNDS} runs of each command, in turns (load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')})`,
    );
    const figures = timeStartups(commands, ROUNDS, REPO);
    const nodeMin = figures[0]?.minMs ?? NaN;
    console.log(`  ${'command'.padEnd(30)} fastest   median   fastest over node`);
    for (const f of figures) {
      const over = f === figures[0] ? '' : `${(f.minMs - nodeMin).toFixed(0).padStart(6)} ms`;
      console.log(
        `  ${f.label.padEnd(30)} ${f.minMs.toFixed(0).padStart(4)} ms  ${f.medianMs.toFixed(0).padStart(4)} ms  ${over}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Wall time of short commands, started as a user starts them (a new process each time). The machine is
// shared and its load changes from second to second, so the commands are run in turns (one round runs each
// once) and each is reported with its fastest and its median run: the fastest is what the command costs,
// the median what a user waits on this machine today.
import { spawnSync } from 'node:child_process';

export interface StartupCommand {
  label: string;
  argv: readonly string[];
  /** The exit code it must end with: a command that fails differently measures something else. */
  expectCode: number;
}

export interface StartupFigures {
  label: string;
  minMs: number;
  medianMs: number;
}

/** Runs every command `rounds` times, in turns, and returns their figures in the order given. */
export function timeStartups(
  commands: readonly StartupCommand[],
  rounds: number,
  cwd: string,
): StartupFigures[] {
  const samples = commands.map(() => [] as number[]);
  for (let round = 0; round < rounds; round++) {
    commands.forEach((command, i) => {
      samples[i]?.push(timeOnce(command, cwd));
    });
  }
  return commands.map((command, i) => {
    const sorted = [...(samples[i] ?? [])].sort((a, b) => a - b);
    return {
      label: command.label,
      minMs: sorted[0] ?? NaN,
      medianMs: sorted[Math.floor(sorted.length / 2)] ?? NaN,
    };
  });
}

function timeOnce(command: StartupCommand, cwd: string): number {
  const [file, ...args] = command.argv;
  if (file === undefined) throw new Error(`${command.label}: no command`);
  // NODE_OPTIONS of the benchmark's own process (tsx) would be timed with every command.
  const env = { ...process.env, NODE_OPTIONS: '' };
  const start = performance.now();
  const r = spawnSync(file, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - start;
  if (r.status !== command.expectCode)
    throw new Error(
      `${command.label}: exit ${r.status ?? r.signal}, expected ${command.expectCode}\n${r.stderr}`,
    );
  return ms;
}

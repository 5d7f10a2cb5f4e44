// How the image starts the operator, read from the files that ship rather than copied: the Dockerfile's
// final stage (what it copies from the build stage, its WORKDIR, ENTRYPOINT and CMD) and the operator
// container of deploy/deployment.yaml (args, env, memory limit). The env is filled as the kubelet fills
// it: literal values as written, `fieldRef` from the pod's metadata, `resourceFieldRef` limits.memory as
// bytes (the downward API's default divisor 1). So a launcher that sizes the heap from the memory limit
// (through an env var or the cgroup) runs here as in the cluster, and a change to either file shows in
// the figures.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DOCKERFILE = join(REPO, 'Dockerfile');
const DEPLOYMENT = join(REPO, 'deploy/deployment.yaml');
/** The pod the benchmark pretends to be (fieldRef values). */
const POD = { name: 'flowprobe-operator-bench', namespace: 'flowprobe' };

export interface ShippedLaunch {
  /** The program and its arguments, node replaced by this process's node. */
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** The container's memory limit in bytes (deploy/deployment.yaml). */
  memoryLimitBytes: number;
  /** One line saying what runs, for the report. */
  description: string;
  remove: () => void;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string; divisor?: string } };
}

export interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
  resources?: { limits?: { memory?: string } };
}

/** Builds the bundle as the Dockerfile's build stage does, and lays out the final stage's files. */
export function shippedLaunch(): ShippedLaunch {
  const stage = finalStage(readFileSync(DOCKERFILE, 'utf8'));
  const container = operatorContainer();
  const memoryLimitBytes = quantityBytes(container.resources?.limits?.memory ?? '');
  execFileSync('npm', ['run', '--silent', 'bundle'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  const app = mkdtempSync(join(tmpdir(), 'flowprobe-bench-app-'));
  for (const source of stage.copies)
    copyFileSync(join(REPO, source.replace(/^\/src\//, '')), join(app, basename(source)));
  const [program = '', ...entryArgs] = stage.entrypoint;
  const command = basename(program) === 'node' ? process.execPath : program;
  const args = [...entryArgs, ...(container.args ?? stage.cmd)];
  const env = containerEnv(container.env ?? [], memoryLimitBytes);
  const shownEnv = Object.entries(env)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  return {
    command,
    args,
    cwd: app,
    env,
    memoryLimitBytes,
    description: `ENTRYPOINT ${JSON.stringify(stage.entrypoint)} + args ${JSON.stringify(args.slice(entryArgs.length))}, env ${shownEnv}, memory limit ${container.resources?.limits?.memory ?? '?'}`,
    remove: () => {
      rmSync(app, { recursive: true, force: true });
    },
  };
}

interface FinalStage {
  copies: string[];
  entrypoint: string[];
  cmd: string[];
}

/** The last FROM's COPY --from sources, ENTRYPOINT and CMD (exec form, as the Dockerfile writes them). */
export function finalStage(dockerfile: string): FinalStage {
  const lines = dockerfile.split('\n').map((l) => l.trim());
  const last =
    lines
      .map((l, i) => (/^FROM\s/i.test(l) ? i : -1))
      .filter((i) => i >= 0)
      .pop() ?? 0;
  const stage: FinalStage = { copies: [], entrypoint: [], cmd: [] };
  for (const line of lines.slice(last)) {
    const copy = /^COPY\s+--from=\S+\s+(.+)$/i.exec(line);
    if (copy?.[1]) stage.copies.push(...copy[1].split(/\s+/).slice(0, -1));
    const exec = /^(ENTRYPOINT|CMD)\s+(\[.*\])$/i.exec(line);
    if (exec?.[1] && exec[2])
      stage[exec[1].toUpperCase() === 'CMD' ? 'cmd' : 'entrypoint'] = JSON.parse(exec[2]) as string[];
  }
  if (stage.entrypoint.length === 0)
    throw new Error(`${DOCKERFILE}: no exec-form ENTRYPOINT in the final stage`);
  return stage;
}

/** The operator container of deploy/deployment.yaml. */
export function operatorContainer(): Container {
  const deployment = parse(readFileSync(DEPLOYMENT, 'utf8')) as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  const container = deployment.spec.template.spec.containers.find((c) => c.name === 'operator');
  if (!container) throw new Error(`${DEPLOYMENT}: no container named operator`);
  return container;
}

function containerEnv(vars: EnvVar[], memoryLimitBytes: number): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of vars) {
    if (v.value !== undefined) env[v.name] = v.value;
    const field = v.valueFrom?.fieldRef?.fieldPath;
    if (field === 'metadata.name') env[v.name] = POD.name;
    if (field === 'metadata.namespace') env[v.name] = POD.namespace;
    const resource = v.valueFrom?.resourceFieldRef;
    if (resource?.resource === 'limits.memory')
      env[v.name] = String(Math.ceil(memoryLimitBytes / quantityBytes(resource.divisor ?? '1')));
  }
  return env;
}

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  T: 1e12,
  Ti: 2 ** 40,
};

/** A Kubernetes memory quantity (`256Mi`, `1G`, `1`) in bytes. */
export function quantityBytes(quantity: string): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(quantity.trim());
  const unit = UNITS[m?.[2] ?? ''];
  if (!m || unit === undefined) throw new Error(`unreadable memory quantity ${JSON.stringify(quantity)}`);
  return Number(m[1]) * unit;
}

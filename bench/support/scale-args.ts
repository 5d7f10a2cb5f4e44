// The scale benchmark's parameters, read once from the environment (pure: the caller passes the env).
// FLOWPROBE_BENCH_PODS is a comma-separated list of cluster sizes, each measured in a fresh FAKE API
// server and a fresh operator; the other sizes follow from it unless set.

export interface ScaleSize {
  pods: number;
  namespaces: number;
  policies: number;
  tests: number;
  flowsPerTest: number;
  seed: number;
}

export interface ScaleArgs {
  sizes: ScaleSize[];
  /** Run the lapsed idle hour after the tests (counts requests, relists). */
  idleHour: boolean;
  /** A size whose operator is not ready by then is reported as such (and stopped). */
  readyTimeoutMs: number;
  /** A size whose tests do not all have a status by then is reported as incomplete. */
  testsTimeoutMs: number;
}

export class ScaleArgsError extends Error {
  constructor(readonly problems: string[]) {
    super(`scale benchmark: ${problems.join('; ')}`);
    this.name = 'ScaleArgsError';
  }
}

/** The cluster: 100,000 pods in 5,000 namespaces, one NetworkPolicy per namespace. */
const PODS_PER_NAMESPACE = 20;
const DEFAULT_PODS = '10000';
const DEFAULT_TESTS = 1000;
const FLOWS_PER_TEST = 10;
const DEFAULT_SEED = 13;

type Env = Readonly<Record<string, string | undefined>>;

export function scaleArgs(env: Env): ScaleArgs {
  const problems: string[] = [];
  const count = (name: string, text: string, min: number): number => {
    const n = Number(text.trim().replace(/_/g, ''));
    if (!Number.isInteger(n) || n < min) {
      problems.push(`${name}: expected a whole number of at least ${min}, got ${JSON.stringify(text)}`);
      return min;
    }
    return n;
  };
  const optional = (name: string): number | undefined =>
    env[name] === undefined || env[name] === '' ? undefined : count(name, env[name], 0);
  const podList = (env.FLOWPROBE_BENCH_PODS ?? DEFAULT_PODS).split(',').filter((s) => s.trim() !== '');
  if (podList.length === 0) problems.push('FLOWPROBE_BENCH_PODS: no size given');
  const perNamespace = optional('FLOWPROBE_BENCH_PODS_PER_NAMESPACE') ?? PODS_PER_NAMESPACE;
  const policies = optional('FLOWPROBE_BENCH_POLICIES');
  const tests = optional('FLOWPROBE_BENCH_TESTS') ?? DEFAULT_TESTS;
  const seed = optional('FLOWPROBE_BENCH_SEED') ?? DEFAULT_SEED;
  if (perNamespace < 1) problems.push('FLOWPROBE_BENCH_PODS_PER_NAMESPACE: at least 1');
  const sizes = podList.map((text) => {
    const pods = count('FLOWPROBE_BENCH_PODS', text, 1);
    const namespaces = Math.max(1, Math.ceil(pods / Math.max(1, perNamespace)));
    return { pods, namespaces, policies: policies ?? namespaces, tests, flowsPerTest: FLOWS_PER_TEST, seed };
  });
  const seconds = (name: string, fallback: number): number => (optional(name) ?? fallback) * 1000;
  const args: ScaleArgs = {
    sizes,
    idleHour: (env.FLOWPROBE_BENCH_IDLE ?? '1') !== '0',
    readyTimeoutMs: seconds('FLOWPROBE_BENCH_READY_TIMEOUT_S', 600),
    testsTimeoutMs: seconds('FLOWPROBE_BENCH_TESTS_TIMEOUT_S', 600),
  };
  if (problems.length > 0) throw new ScaleArgsError(problems);
  return args;
}

// The operator's configuration: read once at start from flags and the environment, typed and validated,
// then passed down. Deep modules never read process.env (STYLE.md).

export interface OperatorConfig {
  kubeconfig?: string;
  context?: string;
  /** Use the pod's service-account credentials (the operator runs in the cluster). */
  inCluster: boolean;
  metricsHost: string;
  metricsPort: number;
  leaderElection: {
    enabled: boolean;
    /** Absent: the kubeconfig context's namespace (in a cluster, the pod's own), read where it is loaded. */
    namespace?: string;
    name: string;
    identity: string;
  };
  /** The busybox image probe pods run; pinned, so a run today and a run next month use the same applets. */
  probeImage: string;
  /** Probe runs in flight at once, across all tests. */
  maxConcurrentRuns: number;
  /** Reconcile workers. */
  workers: number;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
}

export interface OperatorFlags {
  kubeconfig?: string;
  context?: string;
  metricsAddr?: string;
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName?: string;
  identity?: string;
  probeImage?: string;
  maxConcurrentRuns?: string;
  workers?: string;
  logLevel?: string;
}

export const DEFAULT_PROBE_IMAGE = 'busybox:1.37.0';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Flags win over the environment; the environment over defaults. Throws ConfigError with every problem. */
export function operatorConfig(flags: OperatorFlags, env: Env, hostname: string): OperatorConfig {
  const problems: string[] = [];
  const inCluster = !flags.kubeconfig && !env.KUBECONFIG && Boolean(env.KUBERNETES_SERVICE_HOST);
  const [metricsHost, metricsPort] = parseAddr(flags.metricsAddr ?? ':8080', problems);
  const config: OperatorConfig = {
    ...optional('kubeconfig', flags.kubeconfig ?? env.KUBECONFIG),
    ...optional('context', flags.context),
    inCluster,
    metricsHost,
    metricsPort,
    leaderElection: {
      enabled: flags.leaderElect ?? true,
      ...optional('namespace', flags.leaseNamespace ?? env.POD_NAMESPACE),
      name: flags.leaseName ?? 'flowprobe-operator',
      identity: flags.identity ?? env.POD_NAME ?? hostname,
    },
    probeImage: flags.probeImage ?? env.FLOWPROBE_PROBE_IMAGE ?? DEFAULT_PROBE_IMAGE,
    maxConcurrentRuns: positiveInt('--max-concurrent-runs', flags.maxConcurrentRuns ?? '4', problems),
    workers: positiveInt('--workers', flags.workers ?? '4', problems),
    logLevel: logLevel(flags.logLevel ?? env.FLOWPROBE_LOG_LEVEL ?? 'info', problems),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function parseAddr(addr: string, problems: string[]): [string, number] {
  const m = /^(.*):(\d{1,5})$/.exec(addr);
  const port = Number(m?.[2]);
  // Port 0 asks the system for a free port (tests, several operators on one machine).
  if (!m || port < 0 || port > 65535) {
    problems.push(`--metrics-addr: expected [HOST]:PORT, got ${JSON.stringify(addr)}`);
    return ['0.0.0.0', 8080];
  }
  return [m[1] || '0.0.0.0', port];
}

function positiveInt(flag: string, text: string, problems: string[]): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    problems.push(`${flag}: expected a whole number from 1 to 1000, got ${JSON.stringify(text)}`);
    return 1;
  }
  return n;
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

function logLevel(text: string, problems: string[]): OperatorConfig['logLevel'] {
  const level = LEVELS.find((l) => l === text);
  if (!level) problems.push(`--log-level: expected one of ${LEVELS.join(', ')}, got ${JSON.stringify(text)}`);
  return level ?? 'info';
}

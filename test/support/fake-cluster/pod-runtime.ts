// The seam between the FAKE kubelet's lifecycle (fake-kubelet.ts) and how a pod actually runs: for real in
// network namespaces (netns-runtime.ts), or from a declared outcome table (table-runtime.ts).
import type { V1Container, V1Pod } from '@kubernetes/client-node';

/** A running container: its exit, and how to stop it. */
export interface ContainerProcess {
  /** Resolves with the exit code (137 for a kill, as a container runtime reports SIGKILL). */
  readonly exited: Promise<number>;
  kill(): void;
}

/** What a container prints, stdout and stderr interleaved as they arrive. */
export type LogSink = (chunk: string) => void;

export interface PodSandbox {
  readonly ip: string;
  /** The pod's IPv6 address, in the dual-stack mode. */
  readonly ip6?: string | undefined;
  /** Starts a container; resolves once it is running (a workload: once its ports listen). */
  start(container: V1Container, log: LogSink): Promise<ContainerProcess>;
  /** Kills what still runs and removes the pod's network. Idempotent. */
  destroy(): Promise<void>;
}

export interface PodRuntime {
  /** For the test output: what kind of FAKE this is. */
  readonly description: string;
  createSandbox(pod: V1Pod): Promise<PodSandbox>;
  stop(): Promise<void>;
}

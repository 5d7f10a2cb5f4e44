// One pod's life on the FAKE kubelet: Pending (image pull, sandbox) → Running → Succeeded/Failed, with the
// pod's status written after every step, its containers' logs handed to the API server, the
// activeDeadlineSeconds timer, and teardown on completion or deletion. restartPolicy is treated as Never.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ImagePolicy } from './container-kind.js';
import type { ContainerProcess, PodRuntime, PodSandbox } from './pod-runtime.js';
import {
  podStatus,
  terminationMessage,
  type ContainerState,
  type Phase,
  type PodView,
} from './pod-status.js';

export interface PodRunDeps {
  runtime: PodRuntime;
  imagePolicy: ImagePolicy;
  pullBackoffMs: number;
  writeStatus: (namespace: string, name: string, status: Record<string, unknown>) => Promise<void>;
  setPodLog: (namespace: string, pod: string, container: string, text: string) => void;
  /** Awaited before containers start (the resolver's records are current then). */
  beforeContainers: () => Promise<void>;
  report: (message: string, err?: unknown) => void;
  /** The node's address, for status.hostIP (default: fake-node-1's). */
  hostIP?: string;
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class PodRun {
  private phase: Phase = 'Pending';
  private readonly startTime = now();
  private podIP: string | undefined;
  private podIP6: string | undefined;
  private readonly containers = new Map<string, ContainerState>();
  private readonly logs = new Map<string, string>();
  private readonly processes = new Map<string, ContainerProcess>();
  /** Containers whose process is starting (not yet ready to be killed through `processes`). */
  private readonly starting = new Set<string>();
  private readonly times = new Map<string, { status: string; at: string }>();
  private reason: string | undefined;
  private message: string | undefined;
  private sandbox: PodSandbox | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private writes: Promise<void> = Promise.resolve();
  private lastWritten = '';
  private over = false;
  /** Settles when the pod is terminal or deleted and its sandbox is gone. */
  readonly finished: Promise<void>;
  private finish: () => void = () => undefined;

  constructor(
    private pod: V1Pod,
    private readonly deps: PodRunDeps,
  ) {
    this.finished = new Promise((resolve) => (this.finish = resolve));
  }

  get namespace(): string {
    return this.pod.metadata?.namespace ?? 'default';
  }

  get name(): string {
    return this.pod.metadata?.name ?? '';
  }

  private get specContainers(): V1Container[] {
    return this.pod.spec?.containers ?? [];
  }

  /** Runs the pod to completion (or until it is deleted or stopped). */
  async run(): Promise<void> {
    this.armDeadline();
    for (const c of this.specContainers)
      this.containers.set(c.name, { state: 'waiting', reason: 'ContainerCreating' });
    this.write();
    if (!this.pullImages()) return;
    try {
      this.sandbox = await this.deps.runtime.createSandbox(this.pod);
    } catch (err) {
      this.failToStart('CreateContainerError', err);
      return;
    }
    if (this.isOver()) {
      await this.teardown();
      return;
    }
    this.podIP = this.sandbox.ip;
    this.podIP6 = this.sandbox.ip6;
    await this.deps.beforeContainers().catch((err: unknown) => {
      this.deps.report('resolver sync failed', err);
    });
    await Promise.all(this.specContainers.map((c) => this.startContainer(c)));
    if (this.isOver()) return;
    this.phase = 'Running';
    this.write();
  }

  /** The pod object changed (e.g. a readiness gate's condition): rewrite status if the answer moved. */
  update(pod: V1Pod): void {
    this.pod = pod;
    if (!this.over) this.write();
  }

  /** The pod was deleted: kill everything, remove the network, write nothing more. */
  async delete(): Promise<void> {
    this.over = true;
    this.deleted = true;
    await this.teardown();
  }

  private deleted = false;

  /** Read through a method: a deletion can land during any await, which TypeScript's narrowing ignores. */
  private isOver(): boolean {
    return this.over;
  }

  private pullImages(): boolean {
    const bad = this.specContainers.filter((c) => !this.deps.imagePolicy(c.image ?? ''));
    if (bad.length === 0) return true;
    for (const c of bad) {
      const message = `failed to pull and unpack image "${c.image ?? ''}": not found (FAKE kubelet: this image is not pullable here)`;
      this.containers.set(c.name, { state: 'waiting', reason: 'ErrImagePull', message });
    }
    this.write();
    this.later(this.deps.pullBackoffMs, () => {
      for (const c of bad) {
        const message = `Back-off pulling image "${c.image ?? ''}"`;
        this.containers.set(c.name, { state: 'waiting', reason: 'ImagePullBackOff', message });
      }
      this.write();
    });
    return false;
  }

  private async startContainer(c: V1Container): Promise<void> {
    const startedAt = now();
    let proc: ContainerProcess;
    this.starting.add(c.name);
    try {
      proc = await this.sandbox!.start(c, (chunk) => {
        this.appendLog(c.name, chunk);
      });
    } catch (err) {
      this.starting.delete(c.name);
      // A pod deleted while its container started takes the process with it: that is no start error.
      if (!this.isOver()) this.failToStart('StartError', err, c.name);
      if (this.reason === 'DeadlineExceeded' && this.processes.size === 0 && this.starting.size === 0)
        this.end();
      return;
    }
    this.starting.delete(c.name);
    this.processes.set(c.name, proc);
    this.containers.set(c.name, { state: 'running', startedAt, ready: true });
    void proc.exited.then((code) => {
      this.exited(c, startedAt, code);
    });
    // The deadline passed while the container started (a slow machine): kill it now, as the kubelet kills
    // every container of a pod past activeDeadlineSeconds, so it ends terminated with 137 like the others.
    if (this.reason === 'DeadlineExceeded') proc.kill();
  }

  private appendLog(container: string, chunk: string): void {
    const text = (this.logs.get(container) ?? '') + chunk;
    this.logs.set(container, text);
    if (!this.deleted) this.deps.setPodLog(this.namespace, this.name, container, text);
  }

  private exited(c: V1Container, startedAt: string, exitCode: number): void {
    this.processes.delete(c.name);
    if (this.deleted) return;
    const message = terminationMessage(c.terminationMessagePolicy, exitCode, this.logs.get(c.name) ?? '');
    this.containers.set(c.name, {
      state: 'terminated',
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt,
      finishedAt: now(),
      ...(message === undefined ? {} : { message }),
    });
    const states = [...this.containers.values()];
    if (!states.every((s) => s.state === 'terminated')) {
      this.write();
      return;
    }
    if (this.reason !== 'DeadlineExceeded') {
      this.phase = states.every((s) => s.exitCode === 0) ? 'Succeeded' : 'Failed';
    }
    this.end();
  }

  private armDeadline(): void {
    const seconds = this.pod.spec?.activeDeadlineSeconds;
    if (seconds === undefined) return;
    this.later(seconds * 1000, () => {
      this.phase = 'Failed';
      this.reason = 'DeadlineExceeded';
      this.message = `Pod was active on the node longer than the specified deadline`;
      // A container still starting is killed once it has started (startContainer): end after it exits.
      if (this.processes.size === 0 && this.starting.size === 0) this.end();
      else for (const p of this.processes.values()) p.kill();
    });
  }

  private failToStart(reason: string, err: unknown, container?: string): void {
    const message = err instanceof Error ? err.message : String(err);
    this.deps.report(`${this.namespace}/${this.name}: ${reason}`, err);
    for (const c of this.specContainers) {
      if (container === undefined || c.name === container)
        this.containers.set(c.name, { state: 'waiting', reason, message });
    }
    this.write();
  }

  /** Terminal: write the final status, then kill and remove the sandbox, as kubelet does. */
  private end(): void {
    if (this.over) return;
    this.over = true;
    this.write();
    void this.teardown();
  }

  private async teardown(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const p of this.processes.values()) p.kill();
    await this.sandbox?.destroy().catch((err: unknown) => {
      this.deps.report(`${this.namespace}/${this.name}: sandbox teardown failed`, err);
    });
    await this.writes;
    this.finish();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.over) fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  private view(): PodView {
    const v: PodView = {
      pod: this.pod,
      phase: this.phase,
      startTime: this.startTime,
      containers: this.containers,
    };
    if (this.podIP !== undefined) v.podIP = this.podIP;
    if (this.podIP6 !== undefined) v.podIP6 = this.podIP6;
    if (this.reason !== undefined) v.reason = this.reason;
    if (this.message !== undefined) v.message = this.message;
    if (this.deps.hostIP !== undefined) v.hostIP = this.deps.hostIP;
    return v;
  }

  /** Queues a status write (in order); skips one that would write the same status again. */
  private write(): void {
    if (this.deleted) return;
    const status = podStatus(this.view(), this.times, now());
    const text = JSON.stringify(status);
    if (text === this.lastWritten) return;
    this.lastWritten = text;
    this.writes = this.writes
      .then(() => this.deps.writeStatus(this.namespace, this.name, status))
      .catch((err: unknown) => {
        if (!this.deleted) this.deps.report(`${this.namespace}/${this.name}: status write failed`, err);
      });
  }
}

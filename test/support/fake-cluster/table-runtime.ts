// The FAKE kubelet's fallback where pods cannot run for real: no network namespaces, no processes. Pods
// still get addresses and go through the whole lifecycle; a probe container "prints" the result lines of
// the declared outcome table (outcome-table.ts) and exits 0; workload and resolver containers run until
// killed. Nothing here touches the network.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { PodAddresses, RESOLVER_IP } from './addresses.js';
import { containerKind, FAKE_RESOLVER_IMAGE } from './container-kind.js';
import { tableRun, type OutcomeTable } from './outcome-table.js';
import type { ContainerProcess, LogSink, PodRuntime, PodSandbox } from './pod-runtime.js';

export class TableRuntime implements PodRuntime {
  readonly description: string;
  private readonly addresses = new PodAddresses();
  private readonly live = new Set<() => void>();

  /** `asked`: the test chose the table although pods could run for real. */
  constructor(
    private readonly table: () => OutcomeTable,
    asked = false,
  ) {
    this.description = asked
      ? 'FAKE kubelet: probe pods answer from the declared outcome table (asked for)'
      : 'FAKE kubelet: no root, probe pods answer from the declared outcome table';
  }

  createSandbox(pod: V1Pod): Promise<PodSandbox> {
    const isResolver = (pod.spec?.containers ?? []).some((c) => c.image === FAKE_RESOLVER_IMAGE);
    const ip = isResolver ? RESOLVER_IP : this.addresses.allocate();
    const kills: (() => void)[] = [];
    const sandbox: PodSandbox = {
      ip,
      start: (c: V1Container, log: LogSink) => Promise.resolve(this.startContainer(c, log, kills)),
      destroy: () => {
        for (const k of kills) k();
        return Promise.resolve();
      },
    };
    return Promise.resolve(sandbox);
  }

  private startContainer(c: V1Container, log: LogSink, kills: (() => void)[]): ContainerProcess {
    const kind = containerKind(c);
    let finish: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (finish = resolve));
    const kill = (): void => {
      finish(137);
    };
    kills.push(kill);
    this.live.add(kill);
    void exited.then(() => this.live.delete(kill));
    if (kind.kind === 'probe') {
      // After the caller has seen the container start, as a real process would.
      queueMicrotask(() => {
        const { text, exitCode } = tableRun(kind.argv, this.table());
        log(text);
        finish(exitCode);
      });
    }
    return { exited, kill };
  }

  stop(): Promise<void> {
    for (const k of [...this.live]) k();
    return Promise.resolve();
  }
}

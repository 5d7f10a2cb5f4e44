// An informer of one resource whose events call back, restarted after an unexpected error (client-node's
// informer stops on any error but 410) and stopped quietly (its `stop()` itself emits an error).
import {
  makeInformer,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

export interface WatchCallbacks<T> {
  add?: (obj: T) => void;
  update?: (obj: T) => void;
  delete?: (obj: T) => void;
}

export class WatchTrigger<T extends KubernetesObject> {
  private readonly informer;
  private stopping = false;
  private restart: NodeJS.Timeout | undefined;

  constructor(
    kc: KubeConfig,
    path: string,
    list: () => Promise<KubernetesListObject<T>>,
    callbacks: WatchCallbacks<T>,
    labelSelector?: string,
  ) {
    this.informer = makeInformer<T>(kc, path, list, labelSelector);
    if (callbacks.add !== undefined) this.informer.on('add', callbacks.add);
    if (callbacks.update !== undefined) this.informer.on('update', callbacks.update);
    if (callbacks.delete !== undefined) this.informer.on('delete', callbacks.delete);
    this.informer.on('error', () => {
      if (this.stopping) return;
      this.restart = setTimeout(() => void this.informer.start().catch(() => undefined), 200);
      this.restart.unref();
    });
  }

  start(): Promise<void> {
    return this.informer.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restart !== undefined) clearTimeout(this.restart);
    await this.informer.stop();
  }
}

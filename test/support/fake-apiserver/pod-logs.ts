/**
 * The `pods/log` subresource. There is no kubelet: a test sets what a container "printed", and GET
 * /api/v1/namespaces/NS/pods/NAME/log returns it as text/plain, with the container choice and tailLines of
 * kube-apiserver (pkg/registry/core/pod/strategy.go LogLocation).
 */
import { badRequest } from './status-errors.js';
import { isRecord, type KubeObject } from './types.js';

export class PodLogs {
  private readonly logs = new Map<string, string>();

  set(namespace: string, pod: string, container: string, text: string): void {
    this.logs.set(`${namespace}/${pod}/${container}`, text);
  }

  read(pod: KubeObject, container: string | null, tailLines: string | null): string {
    const name = pod.metadata.name ?? '';
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const containers = (Array.isArray(spec.containers) ? spec.containers : []).map((c) =>
      isRecord(c) && typeof c.name === 'string' ? c.name : '',
    );
    let chosen = container ?? '';
    if (chosen === '') {
      if (containers.length !== 1)
        throw badRequest(
          `a container name must be specified for pod ${name}, choose one of: [${containers.join(' ')}]`,
        );
      chosen = containers[0]!;
    } else if (!containers.includes(chosen)) {
      throw badRequest(`container ${chosen} is not valid for pod ${name}`);
    }
    const text = this.logs.get(`${pod.metadata.namespace ?? ''}/${name}/${chosen}`) ?? '';
    if (tailLines === null) return text;
    const lines = text.split('\n');
    const trailing = lines[lines.length - 1] === '' ? lines.pop() : undefined;
    const kept = lines.slice(Math.max(0, lines.length - Number(tailLines)));
    return kept.join('\n') + (trailing !== undefined ? '\n' : '');
  }
}

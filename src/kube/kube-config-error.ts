// A kubeconfig that cannot take flowprobe to a cluster. Retrying does not help: a file, a flag or the
// environment must change, so the message names the file, the context and, for a file, the system error.

export class KubeConfigError extends Error {
  override readonly name = 'KubeConfigError';

  get retryable(): boolean {
    return false;
  }
}

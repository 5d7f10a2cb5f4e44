// Errors of the policy engine. Input that Kubernetes' own validation would reject (a malformed CIDR, an
// unknown selector operator) is reported rather than guessed at; retrying cannot help — fix the manifest.

export class PolicyInputError extends Error {
  override readonly name = 'PolicyInputError';
  /** `namespace/name` of the policy, or the object the bad value came from. */
  readonly object: string;
  /** Field path inside it, e.g. `spec.ingress[0].from[1].ipBlock.cidr`. */
  readonly path: string;

  constructor(object: string, path: string, message: string, options?: { cause?: unknown }) {
    super(`${object}: ${path}: ${message}`, options);
    this.object = object;
    this.path = path;
  }
}

/** A probe target or spec that the script would refuse. Retrying cannot help: fix the input. */
export class InvalidTargetError extends Error {
  override readonly name = 'InvalidTargetError';

  constructor(
    readonly target: string,
    readonly reason: string,
  ) {
    super(`invalid target '${target}': ${reason}`);
  }
}

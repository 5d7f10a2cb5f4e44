/** The probe script could not be run here (no usable busybox, spawn failure). Fix the setup, then retry. */
export class LocalRunError extends Error {
  override readonly name = 'LocalRunError';
}

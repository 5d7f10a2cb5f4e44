// The probe pod's command: the constant script, then the settle options and one argument per probe.
import { encodeProbe } from './args.js';
import { PROBE_SCRIPT } from './script.js';
import { settleArgument, type SettleOptions } from './settle.js';
import type { ProbeSpec } from './types.js';

/** `$0` of the script: names the process in `ps` and in the shell's own error messages. */
export const SCRIPT_NAME = 'flowprobe-probe';

/**
 * `command: [sh, -c, SCRIPT, flowprobe-probe, SETTLE, PROBE...]` for a container of the busybox image.
 * Result line N (1-based) of the pod's log belongs to `specs[N - 1]`. Throws InvalidTargetError.
 */
export function probeCommand(specs: readonly ProbeSpec[], settle: SettleOptions): string[] {
  return ['sh', '-c', PROBE_SCRIPT, SCRIPT_NAME, settleArgument(settle), ...specs.map(encodeProbe)];
}

// The probe engine's vocabulary: what to probe, what each attempt saw, what the probe concluded.
import type { Outcome } from '../api/types.js';

/** `dns`/`dnstcp`: a DNS question to the target over UDP/TCP (a DNS check; script.ts, "DNS checks"). */
export type ProbeKind = 'tcp' | 'udp' | 'http' | 'dns' | 'dnstcp';

/** One probe: a kind of check against one target. Validated by `validateProbeSpec` (args.ts). */
export interface ProbeSpec {
  kind: ProbeKind;
  /** An IPv4 or IPv6 address (without brackets) or a DNS name (resolved by the probe, within the timeout). */
  host: string;
  port: number;
  /** HTTP only: the request path, starting with `/`. */
  path?: string;
  /** DNS checks only: the name whose A record the target is asked for (a trailing dot is allowed). */
  name?: string;
  /** Bounds every step of an attempt (resolution, connect, HTTP transfer). */
  timeoutSeconds: number;
}

/** The step an attempt ended in: the script stops at the first step that fails. */
/** `dns` resolves a target's host name; `dnsudp`/`dnstcp` ask the target a DNS question (a DNS check). */
export type AttemptStep = 'arg' | 'dns' | 'tcp' | 'udp' | 'http' | 'dnsudp' | 'dnstcp';

/** One attempt as the script printed it. */
export interface RawAttempt {
  /** Milliseconds from the probe's first attempt to this one's start. */
  atMs: number;
  durationMs: number;
  step: string;
  exitCode: number;
  /** The address connected to (the resolved one for a name); empty when resolution failed. */
  address: string;
  httpStatus?: number;
  /** The tool's output, newlines shown as `;`, cut to 160 characters. */
  message: string;
}

/** One attempt, classified on its own. */
export interface Attempt extends RawAttempt {
  outcome: Outcome;
  detail: string;
}

export interface ProbeResult {
  /** The caller's label for the probe (the CLI: the target as given). */
  target: string;
  /** The last attempt's outcome: the settled answer, or the latest one when `settled` is false. */
  outcome: Outcome;
  /** A short machine-readable reason, e.g. `tcp-open`, `timeout`, `nxdomain` (classify.ts lists them). */
  detail: string;
  httpStatus?: number;
  /** From the first attempt's start to the last attempt's end. */
  durationMs: number;
  /** False when the attempts never agreed within the bounds: the verdict layer calls that Flaky. */
  settled: boolean;
  attempts: Attempt[];
  /** Human-readable: the last attempt's tool output, or why there is no result. */
  message: string;
}

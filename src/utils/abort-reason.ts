// Why an AbortSignal aborted, as words for a message: its reason's message when it is an Error (a run's
// "timed out after 5s", "interrupted"), else the reason as text.

export function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : String(reason);
}

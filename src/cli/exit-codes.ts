// Exit codes shared by every command, so CI scripts can rely on them.

/** Every check ran and everything holds. */
export const EXIT_OK = 0;
/** Every check ran and at least one expectation does not hold (or a manifest is invalid). */
export const EXIT_FAILED = 1;
/** The command could not do its job: bad arguments, unreadable input, unreachable cluster. */
export const EXIT_USAGE = 2;

// Structured JSON logs (winston), with Kubernetes-style fields: `namespace`, `name`, `runId`.
import winston from 'winston';

export type Logger = winston.Logger;

export function createLogger(level: 'error' | 'warn' | 'info' | 'debug', silent = false): Logger {
  return winston.createLogger({
    level,
    silent,
    format: winston.format.combine(
      winston.format.timestamp(),
      winston.format.errors({ stack: false }),
      winston.format.json(),
    ),
    defaultMeta: { component: 'flowprobe' },
    // Logs go to stderr, so that a command's stdout stays machine-readable.
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
}

/** An error as a log field: its message, and the cause's message where there is one. */
export function errorField(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? ` (cause: ${err.cause.message})` : '';
  return `${err.message}${cause}`;
}

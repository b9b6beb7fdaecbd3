import pino, { type DestinationStream, type Logger } from 'pino';

/** The one environment variable that sets every firstseen process's log level. */
export const LOG_LEVEL_VARIABLE = 'FIRSTSEEN_LOG_LEVEL';

/**
 * Paths pino censors in anything a process logs, the union of every secret-bearing field
 * firstseen handles: secrets maps, Slack webhook URLs, bot tokens and signing secrets,
 * Slack's response_url, PagerDuty routing keys, HTTP authorization headers. Messages are built
 * so that they never hold these values; redaction is the second line of defence.
 */
export const REDACT_PATHS: readonly string[] = [
  'secrets',
  '*.secrets',
  'secret',
  '*.secret',
  'signingSecret',
  '*.signingSecret',
  'webhookUrl',
  '*.webhookUrl',
  'url',
  '*.url',
  'response_url',
  '*.response_url',
  'token',
  '*.token',
  'routingKey',
  '*.routingKey',
  'routing_key',
  '*.routing_key',
  'headers.authorization',
  '*.headers.authorization',
];

export interface LoggerOptions {
  /** The process's role, written as `name` on every line (`detector`, `alert-dispatcher`, ...). */
  name: string;
  /** Default: FIRSTSEEN_LOG_LEVEL, else `info`. */
  level?: string | undefined;
  /** Default: stdout, written synchronously so nothing is lost when a Lambda invocation freezes. */
  destination?: DestinationStream;
}

/** The root logger of a firstseen process (pino, JSON lines). Every process builds its logger here. */
export function createLogger(options: LoggerOptions): Logger {
  return pino(
    {
      name: options.name,
      level: options.level ?? process.env[LOG_LEVEL_VARIABLE]?.trim() ?? 'info',
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

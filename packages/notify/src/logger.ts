import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * Paths pino censors, for any object a caller might log by mistake: secrets maps, Slack webhook
 * URLs and bot tokens, PagerDuty routing keys, HTTP authorization headers. Messages built by
 * this package never contain these values in the first place; redaction is the second line.
 */
export const REDACT_PATHS: readonly string[] = [
  'secrets',
  '*.secrets',
  'secret',
  '*.secret',
  'webhookUrl',
  '*.webhookUrl',
  'url',
  '*.url',
  'token',
  '*.token',
  'routingKey',
  '*.routingKey',
  'routing_key',
  '*.routing_key',
  'headers.authorization',
  '*.headers.authorization',
];

/** The root logger of a notify process (handler, redrive). Synchronous by default, as Lambda wants. */
export function createNotifyLogger(
  options: { name?: string; level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      name: options.name ?? 'notify',
      level: options.level ?? process.env['LOG_LEVEL'] ?? 'info',
      redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}

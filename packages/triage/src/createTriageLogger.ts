import pino, { type DestinationStream, type Logger } from 'pino';

/** The triage process's root logger (synchronous, as Lambda wants); signing secrets and URLs redacted. */
export function createTriageLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      name: 'triage',
      level: options.level ?? process.env.FIRSTSEEN_LOG_LEVEL ?? 'info',
      redact: {
        paths: [
          'signingSecret',
          '*.signingSecret',
          'routingKey',
          '*.routing_key',
          'url',
          '*.url',
          'response_url',
        ],
        censor: '[redacted]',
      },
    },
    options.destination ?? pino.destination({ sync: true }),
  );
}

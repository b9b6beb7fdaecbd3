import pino, { type Logger } from 'pino';

export interface DetectorLoggerOptions {
  level?: string;
  /** On Lambda, write synchronously so nothing is lost when the invocation freezes. Default: true when AWS_LAMBDA_FUNCTION_NAME is set. */
  sync?: boolean;
}

/** The one root logger of the detector process (pino, JSON lines on stdout). */
export function createDetectorLogger(options: DetectorLoggerOptions = {}): Logger {
  const sync = options.sync ?? process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined;
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'firstseen-detector' },
      redact: { paths: ['*.webhookUrl', '*.token', '*.routingKey'], censor: '[redacted]' },
    },
    pino.destination({ dest: 1, sync }),
  );
}

import pino, { type DestinationStream, type Logger } from 'pino';

/** The watchdog process's root logger (pino JSON lines; synchronous by default, as Lambda wants). */
export function createWatchdogLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    { name: 'watchdog', level: options.level ?? process.env.FIRSTSEEN_LOG_LEVEL ?? 'info' },
    options.destination ?? pino.destination({ sync: true }),
  );
}

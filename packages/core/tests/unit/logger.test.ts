import { Writable } from 'node:stream';
import { createLogger, LOG_LEVEL_VARIABLE } from '../../src';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe('createLogger()', () => {
  it('writes one JSON line per entry with the logger name, message and fields', () => {
    const out = capture();
    const logger = createLogger({ name: 'watchdog', level: 'info', destination: out.stream });

    logger.info({ checked: 3, silent: 1, alerted: 1 }, 'watchdog run');

    expect(out.lines()).toEqual([
      expect.objectContaining({
        name: 'watchdog',
        level: 30,
        msg: 'watchdog run',
        checked: 3,
        silent: 1,
        alerted: 1,
      }),
    ]);
  });

  it('drops entries below the configured level', () => {
    const out = capture();
    const logger = createLogger({ name: 'watchdog', level: 'warn', destination: out.stream });

    logger.info('watchdog run');
    logger.warn('heartbeat table empty');

    expect(out.lines().map((l) => l.msg)).toEqual(['heartbeat table empty']);
  });

  it.each([
    ['a Slack webhook URL', { webhookUrl: 'S3CRET' }],
    ['a URL under any object', { channel: { url: 'S3CRET' } }],
    ['a bot token', { destination: { token: 'S3CRET' } }],
    ['a PagerDuty routing key', { routingKey: 'S3CRET' }],
    ['a routing_key in an event body', { event: { routing_key: 'S3CRET' } }],
    ['a Slack signing secret', { signingSecret: 'S3CRET' }],
    ['a Slack response_url', { payload: { response_url: 'S3CRET' } }],
    ['a secrets map', { secrets: { FIRSTSEEN_SLACK_WEBHOOK_URL: 'S3CRET' } }],
    ['an authorization header', { request: { headers: { authorization: 'S3CRET' } } }],
  ])('redacts %s', (_what, fields) => {
    const out = capture();
    const logger = createLogger({ name: 'notify', level: 'info', destination: out.stream });

    logger.info(fields, 'sending');

    const line = JSON.stringify(out.lines());
    expect(line).not.toContain('S3CRET');
    expect(line).toContain('[redacted]');
  });

  it(`takes its level from ${LOG_LEVEL_VARIABLE} when none is given`, () => {
    const saved = process.env[LOG_LEVEL_VARIABLE];
    process.env[LOG_LEVEL_VARIABLE] = 'error';
    try {
      const out = capture();
      const logger = createLogger({ name: 'detector', destination: out.stream });

      logger.warn('dropped');
      logger.error('kept');

      expect(out.lines().map((l) => [l.name, l.msg])).toEqual([['detector', 'kept']]);
    } finally {
      if (saved === undefined) delete process.env[LOG_LEVEL_VARIABLE];
      else process.env[LOG_LEVEL_VARIABLE] = saved;
    }
  });
});

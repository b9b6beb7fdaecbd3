import { Writable } from 'node:stream';
import { createWatchdogLogger } from '../../src';

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

describe('createWatchdogLogger()', () => {
  it('writes one JSON line per entry with the logger name, message and fields', () => {
    const out = capture();
    const logger = createWatchdogLogger({ level: 'info', destination: out.stream });

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
    const logger = createWatchdogLogger({ level: 'warn', destination: out.stream });

    logger.info('watchdog run');
    logger.warn('heartbeat table empty');

    expect(out.lines().map((l) => l.msg)).toEqual(['heartbeat table empty']);
  });
});

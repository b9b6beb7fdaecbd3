import { type LocalDemo, startLocalDemo } from '../../src';
import type { LocalDemoOptions } from '../../src/types';

/**
 * `npm start -- --once` small enough for a test (a 400-events-a-day history, 30 live minutes at
 * 4,000 a day, no state file, the pipeline's own logs silent), its human output kept. Options
 * given replace these.
 */
export async function startSmallDemo(
  options: LocalDemoOptions = {},
): Promise<{ demo: LocalDemo; output: () => string }> {
  let text = '';
  const demo = await startLocalDemo({
    historyEventsPerDay: 400,
    liveMinutes: 30,
    liveEventsPerDay: 4000,
    statePath: false,
    logLevel: 'silent',
    write: (t) => {
      text += t;
    },
    ...options,
  });
  return { demo, output: () => text };
}

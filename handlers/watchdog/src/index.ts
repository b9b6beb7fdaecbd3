import { createLogger, lazyRuntime } from '@firstseen/core';
import { createWatchdogRuntime, readWatchdogEnvironment, runScheduledWatchdog } from '@firstseen/watchdog';

/**
 * Lambda entry for the scheduled watchdog. A bad environment fails here, naming the variable; a
 * bad config rejects the run, naming the path, and the next run builds the runtime again.
 */
const logger = createLogger({ name: 'watchdog' });
const env = readWatchdogEnvironment(process.env);
const runtime = lazyRuntime(() => createWatchdogRuntime(env));

export const handler = async () => runScheduledWatchdog(await runtime(), env, logger);

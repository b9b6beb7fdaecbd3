import { publishEvents } from '@firstseen/local-stack';
import { demoContext } from './context';
import { checkInterrupted } from './errors';
import { expectAlerts } from './phases/expectAlerts';
import { planTraffic } from './phases/planTraffic';
import { prepare } from './phases/prepare';
import { publishLiveEvents } from './phases/publishLiveEvents';
import { seedHistory } from './phases/seedHistory';
import { showEndpoints, startEmulators } from './phases/startEmulators';
import { startPipeline } from './phases/startPipeline';
import { summariseRun } from './phases/summariseRun';
import { waitForDeliveries } from './phases/waitForDeliveries';
import { writeStackState } from './phases/writeStackState';
import { Shutdown } from './shutdown';
import type { LocalDemo, LocalDemoOptions } from './types';

/**
 * `npm start`: boots the local stack, seeds the baseline from a generated 120-day history,
 * streams a live period with injected anomalies through Kinesis -> detector poller -> alerts
 * table -> stream poller -> dispatcher -> console (and Slack/PagerDuty when configured), waits
 * until every event is processed and every alert delivered, and summarises. The pipeline keeps
 * running until `stop()`. Ctrl-C (`options.signal`) during the start-up stops everything started
 * so far and rejects with DemoInterruptedError.
 */
export async function startLocalDemo(options: LocalDemoOptions = {}): Promise<LocalDemo> {
  const ctx = demoContext(options);
  const prepared = await prepare(ctx);
  const stack = await startEmulators(ctx);
  const shutdown = new Shutdown(stack);
  try {
    checkInterrupted(ctx.signal);
    showEndpoints(ctx, stack);
    const traffic = planTraffic(ctx, prepared.config);
    const history = await seedHistory(ctx, stack, prepared.config, traffic);
    const running = await startPipeline(ctx, stack, prepared);
    shutdown.onStop(() => running.pipeline.stop());
    checkInterrupted(ctx.signal);
    const live = await expectAlerts(ctx, prepared.config, traffic, history.seeded.engine);
    const publishing = await publishLiveEvents(ctx, stack, running, live, traffic.plan);
    const delivered = await waitForDeliveries(ctx, stack, prepared.config, running, publishing.startedAt);
    const { summary, ok } = summariseRun(ctx, { traffic, history, running, live, publishing, delivered });
    checkInterrupted(ctx.signal);
    await writeStackState(ctx, stack, shutdown);
    return {
      ok,
      summary,
      stack,
      publish: (events) => publishEvents(stack.clients.kinesis, stack.resources.streamName, events),
      stop: shutdown.stop,
    };
  } catch (err) {
    await shutdown.stop();
    throw err;
  }
}

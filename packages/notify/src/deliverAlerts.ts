import type { Config } from '@firstseen/core';
import type { Logger } from 'pino';
import type { DestinationChannel } from './channels';
import type { DeliveryStateStore } from './DeliveryStateStore';
import { groupAlerts, routeAlert } from './routeAlert';
import type { StormControl } from './StormControl';
import { type RetryDeps, type RetryPolicy, type SendOutcome, sendWithRetry } from './sendWithRetry';
import type { AlertRecord, DeliveryMap, DeliveryState } from './types';

export interface DeliverDeps extends RetryDeps {
  config: Config;
  channels: ReadonlyMap<string, DestinationChannel>;
  store: DeliveryStateStore;
  storm: StormControl;
  retry: RetryPolicy;
  logger: Logger;
}

export interface DeliverOptions {
  /** Redrive: also re-send where the last try was a permanent failure (the operator fixed it). */
  includePermanent?: boolean;
}

export interface DeliveryReport {
  /** Alerts delivered to every destination they are routed to. */
  complete: string[];
  /** Alerts with at least one destination not delivered. */
  incomplete: string[];
  /** Final delivery map per alert. */
  delivery: Map<string, DeliveryMap>;
}

/**
 * Routes, groups, renders and delivers alerts; records the outcome per destination on each
 * alert, so that a retried invocation sends only what is still missing. Destinations run
 * concurrently; within one, groups go out in order and storm control may fold the rest into
 * one summary.
 */
export async function deliverAlerts(
  input: readonly AlertRecord[],
  deps: DeliverDeps,
  options: DeliverOptions = {},
): Promise<DeliveryReport> {
  const alerts = [...new Map(input.map((a) => [a.alertId, a])).values()];
  const delivery = await deps.store.getDelivery(alerts.map((a) => a.alertId));
  const routes = new Map(alerts.map((a) => [a.alertId, routeAlert(a, deps.config.routing)]));
  const unwritten = new Set<string>();

  const pendingByDest = new Map<string, AlertRecord[]>();
  for (const a of alerts) {
    const states = delivery.get(a.alertId) ?? {};
    for (const dest of routes.get(a.alertId) ?? []) {
      const status = states[dest]?.status;
      if (status === 'delivered') continue;
      if (status === 'permanent' && !options.includePermanent) continue;
      const list = pendingByDest.get(dest) ?? [];
      list.push(a);
      pendingByDest.set(dest, list);
    }
  }

  const record = async (
    dest: string,
    covered: readonly AlertRecord[],
    outcome: SendOutcome,
    via: DeliveryState['via'],
  ): Promise<void> => {
    const at = new Date(deps.now()).toISOString();
    await Promise.all(
      covered.map(async (a) => {
        const map = delivery.get(a.alertId) ?? {};
        const state: DeliveryState = {
          status: outcome.status,
          attempts: (map[dest]?.attempts ?? 0) + outcome.attempts,
          updatedAt: at,
        };
        if (outcome.status === 'delivered') {
          state.deliveredAt = at;
          state.via = via;
        } else {
          state.lastError = outcome.lastError;
        }
        map[dest] = state;
        delivery.set(a.alertId, map);
        try {
          await deps.store.putState(a.alertId, dest, state);
        } catch (err) {
          unwritten.add(a.alertId);
          deps.logger.error({ err, alertId: a.alertId, destination: dest }, 'writing delivery state failed');
        }
      }),
    );
  };

  await Promise.all(
    [...pendingByDest.entries()].map(async ([dest, pending]) => {
      const channel = deps.channels.get(dest);
      if (!channel) {
        const outcome: SendOutcome = {
          status: 'failed',
          attempts: 0,
          lastError: `destination "${dest}" not configured`,
        };
        await record(dest, pending, outcome, undefined);
        return;
      }
      const stormed: AlertRecord[] = [];
      for (const group of groupAlerts(pending, (a) => channel.groupKey(a))) {
        if (channel.type !== 'console' && !deps.storm.tryAcquire(dest)) {
          stormed.push(...group);
          continue;
        }
        const outcome = await sendWithRetry((t) => channel.sendGroup(group, t), deps.retry, deps);
        logOutcome(deps.logger, dest, group, outcome);
        await record(dest, group, outcome, channel.type === 'console' ? 'console' : 'group');
      }
      if (stormed.length > 0) {
        deps.logger.warn({ destination: dest, count: stormed.length }, 'storm control: sending one summary');
        const outcome = await sendWithRetry((t) => channel.sendSummary(stormed, t), deps.retry, deps);
        logOutcome(deps.logger, dest, stormed, outcome);
        await record(dest, stormed, outcome, 'storm-summary');
      }
    }),
  );

  const complete: string[] = [];
  const incomplete: string[] = [];
  for (const a of alerts) {
    const states = delivery.get(a.alertId) ?? {};
    const done = (routes.get(a.alertId) ?? []).every((d) => states[d]?.status === 'delivered');
    if (done && !unwritten.has(a.alertId)) complete.push(a.alertId);
    else incomplete.push(a.alertId);
  }
  return { complete, incomplete, delivery };
}

function logOutcome(
  logger: Logger,
  destination: string,
  alerts: readonly AlertRecord[],
  outcome: SendOutcome,
): void {
  const alertIds = alerts.slice(0, 20).map((a) => a.alertId);
  if (outcome.status === 'delivered') {
    logger.info({ destination, alertIds, count: alerts.length, attempts: outcome.attempts }, 'delivered');
  } else {
    logger.warn(
      {
        destination,
        alertIds,
        count: alerts.length,
        attempts: outcome.attempts,
        status: outcome.status,
        lastError: outcome.lastError,
      },
      'delivery failed',
    );
  }
}

import { type AccountInfo, type Config, withAccountInfo } from '@firstseen/core';
import type { Logger } from 'pino';
import type { DestinationChannel } from './channels';
import type { DeliveryStateStore } from './DeliveryStateStore';
import { boundedPlain } from './inertText';
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
  /** Where the dispatcher writes its CloudWatch EMF metric lines (stdout on Lambda). */
  metrics: (line: string) => void;
  /** The function named in the metrics' FunctionName dimension. */
  functionName: string;
  /**
   * Account names, OU paths and tags for rendering and routing (dynamodb-store's
   * AccountDirectoryReader); without it, or when it answers nothing, alerts name account ids.
   */
  accounts?: { lookup(): Promise<Readonly<Record<string, AccountInfo>> | undefined> };
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
  /**
   * The incomplete alerts a retry may still deliver: a destination failed transiently (or was
   * not reached in time), or a delivery state could not be written. The rest of `incomplete`
   * failed permanently somewhere: recorded on the alert, left to `redrive` after the fix.
   */
  retryable: string[];
  /** Outcomes of this call per destination, counted per alert. */
  outcomes: Record<string, Record<DeliveryState['status'], number>>;
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
  // Names are a courtesy: a failing lookup is the id, never a delayed or lost alert.
  const directory = await deps.accounts?.lookup().catch((err: unknown) => {
    deps.logger.warn({ err }, 'account directory lookup failed; alerts name account ids');
    return undefined;
  });
  const alerts = [...new Map(input.map((a) => [a.alertId, withAccountInfo(a, directory)])).values()];
  const delivery = await deps.store.getDelivery(alerts.map((a) => a.alertId));
  const routes = new Map(alerts.map((a) => [a.alertId, routeAlert(a, deps.config.routing)]));
  const unwritten = new Set<string>();
  const outcomes: DeliveryReport['outcomes'] = {};

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
    const counts = outcomes[dest] ?? { delivered: 0, failed: 0, permanent: 0 };
    counts[outcome.status] += covered.length;
    outcomes[dest] = counts;
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
        // A routing rule names a destination nobody built: a configuration error, which no
        // retry fixes (the config is validated at start, so this is a second line).
        const outcome: SendOutcome = {
          status: 'permanent',
          attempts: 0,
          lastError: `destination "${dest}" not configured`,
        };
        await record(dest, pending, outcome, undefined);
        return;
      }
      const recorded = new Set<string>();
      const finish = async (
        group: readonly AlertRecord[],
        outcome: SendOutcome,
        via: DeliveryState['via'],
      ) => {
        logOutcome(deps.logger, dest, group, outcome);
        await record(dest, group, outcome, via);
        for (const a of group) recorded.add(a.alertId);
      };
      try {
        const stormed: AlertRecord[] = [];
        for (const group of groupAlerts(pending, (a) => channel.groupKey(a))) {
          if (channel.type !== 'console' && !deps.storm.tryAcquire(dest)) {
            stormed.push(...group);
            continue;
          }
          const outcome = await contained(
            () => sendWithRetry((t) => channel.sendGroup(group, t), deps.retry, deps),
            deps.logger,
            dest,
            group,
          );
          await finish(group, outcome, channel.type === 'console' ? 'console' : 'group');
        }
        if (stormed.length > 0) {
          deps.logger.warn(
            { destination: dest, count: stormed.length },
            'storm control: sending one summary',
          );
          const outcome = await contained(
            () => sendWithRetry((t) => channel.sendSummary(stormed, t), deps.retry, deps),
            deps.logger,
            dest,
            stormed,
          );
          await finish(stormed, outcome, 'storm-summary');
        }
      } catch (err) {
        // Grouping or bookkeeping failed (never the send: `contained` holds that). What this
        // destination has not recorded yet fails permanently, and no other destination waits.
        const rest = pending.filter((a) => !recorded.has(a.alertId));
        deps.logger.error({ err, destination: dest, count: rest.length }, 'delivery to a destination failed');
        if (rest.length > 0) await record(dest, rest, unexpected(err), undefined);
      }
    }),
  );

  const complete: string[] = [];
  const incomplete: string[] = [];
  const retryable: string[] = [];
  for (const a of alerts) {
    const states = delivery.get(a.alertId) ?? {};
    const statuses = (routes.get(a.alertId) ?? []).map((d) => states[d]?.status);
    if (statuses.every((s) => s === 'delivered') && !unwritten.has(a.alertId)) {
      complete.push(a.alertId);
      continue;
    }
    incomplete.push(a.alertId);
    if (unwritten.has(a.alertId) || statuses.some((s) => s !== 'delivered' && s !== 'permanent'))
      retryable.push(a.alertId);
  }
  return { complete, incomplete, retryable, outcomes, delivery };
}

/** An exception that is not a DeliveryError, as a permanent outcome (the same input fails again). */
function unexpected(err: unknown): SendOutcome & { status: 'permanent' } {
  const what = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return { status: 'permanent', attempts: 1, lastError: `internal error ${boundedPlain(what, 200)}` };
}

/**
 * Runs one group's render-and-send: any exception in it (a renderer meeting input it cannot
 * handle, a bug) is that group's permanent failure, never the batch's or another group's.
 */
async function contained(
  send: () => Promise<SendOutcome>,
  logger: Logger,
  destination: string,
  group: readonly AlertRecord[],
): Promise<SendOutcome> {
  try {
    return await send();
  } catch (err) {
    logger.error(
      { err, destination, alertIds: group.slice(0, 20).map((a) => a.alertId) },
      'rendering or sending a group failed; recorded as a permanent failure',
    );
    return unexpected(err);
  }
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

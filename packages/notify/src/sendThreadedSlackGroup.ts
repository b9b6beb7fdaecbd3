import type { Logger } from 'pino';
import { DeliveryError } from './errors';
import { maxSeverity, type SlackMessage } from './renderSlack';
import { threadSummary, withThreadSummary } from './renderSlackThread';
import type { SlackThread, SlackThreadStore, ThreadAdditions } from './SlackThreadStore';
import type { SlackPostedMessage, SlackThreadOptions } from './slackTransport';
import type { AlertRecord, Clock, Sleep } from './types';

/** A claim without a recorded parent this long after it was made is taken to be abandoned. */
export const THREAD_CLAIM_LEASE_MS = 60_000;
/** Waits for another dispatcher's parent before giving the attempt back to the retry loop. */
const PARENT_POLLS = 5;
const PARENT_POLL_MS = 200;
/** Thread items outlive their window by a day (TTL), for the record. */
const THREAD_TTL_AFTER_WINDOW_S = 86_400;

export interface ThreadedSlackDeps {
  destination: string;
  /** Unique per dispatcher process: its own claims are recognised on a retry. */
  instanceId: string;
  windowMs: number;
  store: SlackThreadStore;
  now: Clock;
  sleep: Sleep;
  logger: Logger;
  render(alerts: readonly AlertRecord[]): SlackMessage;
  post(message: SlackMessage, timeoutMs: number, thread?: SlackThreadOptions): Promise<SlackPostedMessage>;
  update(target: SlackPostedMessage, message: SlackMessage, timeoutMs: number): Promise<void>;
}

function additionsOf(alerts: readonly AlertRecord[]): ThreadAdditions {
  return {
    alertIds: alerts.map((a) => a.alertId),
    levels: alerts.flatMap((a) => a.levels),
    severities: alerts.map((a) => a.severity),
    eventTimes: alerts.map((a) => a.eventTime).filter((t) => typeof t === 'string' && t !== ''),
  };
}

/** Store failures are transient delivery failures: the retry loop and redrive try again. */
async function stored<T>(what: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof DeliveryError) throw err;
    throw new DeliveryError(`slack thread store: ${what} failed`, { permanent: false }, { cause: err });
  }
}

/**
 * Delivers one principal's group to its Slack thread (bot mode). The first group of a principal
 * in a window claims the thread with a conditional write, posts the parent and records its `ts`;
 * later groups (from this or any other dispatcher) are replies (`thread_ts`), broadcast to the
 * channel when high severity, and the parent is edited (`chat.update`) with the running summary.
 * Re-entrant: sendWithRetry may call it again after any failure.
 */
export async function sendThreadedSlackGroup(
  alerts: readonly AlertRecord[],
  timeoutMs: number,
  deps: ThreadedSlackDeps,
): Promise<void> {
  const first = alerts[0];
  if (!first) return;
  const { destination } = deps;
  const principal = first.principal;
  const claimId = `${deps.instanceId}:${first.alertId}`;
  for (let poll = 0; ; poll++) {
    const thread = await stored('read', () => deps.store.get(destination, principal));
    const now = deps.now();
    const live = thread !== undefined && now < thread.openedAt + deps.windowMs;
    if (live && thread.parent) {
      const known = new Set(thread.alertIds);
      if (alerts.every((a) => known.has(a.alertId))) {
        // A retried delivery whose message is already in the thread: nothing to post.
        deps.logger.info({ destination, alertId: first.alertId }, 'alerts already in their slack thread');
        return;
      }
      await reply(thread, thread.parent, alerts, timeoutMs, deps);
      return;
    }
    const ours = live && thread.claimId === claimId;
    const abandoned = live && !ours && now - thread.claimedAt >= THREAD_CLAIM_LEASE_MS;
    if (ours) {
      // Our own earlier attempt claimed the thread but did not record a parent.
      await openThread(alerts, claimId, timeoutMs, deps);
      return;
    }
    if (!live || abandoned) {
      const claim = {
        claimId,
        now,
        expiresAtSeconds: Math.ceil((now + deps.windowMs) / 1000) + THREAD_TTL_AFTER_WINDOW_S,
      };
      if (await stored('claim', () => deps.store.claim(destination, principal, claim, thread?.claimId))) {
        deps.logger.info({ destination, alertId: first.alertId }, 'slack thread claimed');
        await openThread(alerts, claimId, timeoutMs, deps);
        return;
      }
      continue; // another dispatcher won: read its thread
    }
    // Another dispatcher is posting the parent: wait a little, then leave it to the retry loop.
    if (poll >= PARENT_POLLS) {
      throw new DeliveryError('slack thread parent not recorded yet', { permanent: false });
    }
    await deps.sleep(PARENT_POLL_MS);
  }
}

async function openThread(
  alerts: readonly AlertRecord[],
  claimId: string,
  timeoutMs: number,
  deps: ThreadedSlackDeps,
): Promise<void> {
  const message = deps.render(alerts);
  const additions = additionsOf(alerts);
  const parent = await deps.post(withThreadSummary(message, threadSummary(additions)), timeoutMs);
  const recorded = await stored('recording the parent', () =>
    deps.store.recordParent(deps.destination, alerts[0]!.principal, claimId, parent, message, additions),
  );
  if (!recorded) {
    // Only after our claim aged past the lease and another took it: the message stands alone.
    deps.logger.warn(
      { destination: deps.destination, alertId: alerts[0]!.alertId },
      'slack thread claim was taken over; this parent was posted outside the thread',
    );
  }
}

async function reply(
  thread: SlackThread,
  parent: SlackPostedMessage,
  alerts: readonly AlertRecord[],
  timeoutMs: number,
  deps: ThreadedSlackDeps,
): Promise<void> {
  await deps.post(deps.render(alerts), timeoutMs, {
    threadTs: parent.ts,
    replyBroadcast: maxSeverity(alerts) === 'high',
  });
  // The reply is delivered; the summary edit is best effort (the next reply brings it up to date).
  try {
    const updated = await deps.store.addToSummary(
      deps.destination,
      thread.principal,
      thread.claimId,
      additionsOf(alerts),
    );
    if (updated?.parentMessage) {
      await deps.update(parent, withThreadSummary(updated.parentMessage, threadSummary(updated)), timeoutMs);
    }
  } catch (err) {
    deps.logger.warn(
      { err, destination: deps.destination, alertId: alerts[0]!.alertId },
      'updating the slack thread summary failed',
    );
  }
}

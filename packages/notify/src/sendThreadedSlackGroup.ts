import type { Logger } from 'pino';
import { DeliveryError } from './errors';
import { maxSeverity, type SlackMessage } from './renderSlack';
import { threadSummary, withoutThreadSummary, withThreadSummary } from './renderSlackThread';
import type { SlackThread, SlackThreadStore, ThreadAdditions } from './SlackThreadStore';
import type {
  SlackHistoryMessage,
  SlackMessageMetadata,
  SlackPostedMessage,
  SlackThreadOptions,
} from './slackTransport';
import type { AlertRecord, Clock, Sleep } from './types';

/** A claim without a recorded parent this long after it was made is taken to be abandoned. */
export const THREAD_CLAIM_LEASE_MS = 20_000;
/** Waits for another dispatcher's parent before giving the attempt back to the retry loop. */
const PARENT_POLLS = 5;
const PARENT_POLL_MS = 200;
/** Metadata event type of a thread's parent message (chat.postMessage `metadata`). */
export const THREAD_PARENT_EVENT_TYPE = 'firstseen_thread';
/** A takeover searches the channel from this long before the thread opened (clock skew with Slack). */
const PARENT_SEARCH_MARGIN_MS = 5 * 60_000;
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
  post(
    message: SlackMessage,
    timeoutMs: number,
    thread?: SlackThreadOptions,
    metadata?: SlackMessageMetadata,
  ): Promise<SlackPostedMessage>;
  /**
   * The channel's first top-level message since `oldestMs` whose metadata `matches`
   * (conversations.history); throws a transient DeliveryError when the search fails. Absent when
   * the destination's channel is a name (conversations.history takes channel ids only).
   */
  findParent?(
    matches: (metadata: SlackMessageMetadata) => boolean,
    oldestMs: number,
    timeoutMs: number,
  ): Promise<(SlackHistoryMessage & { channel: string }) | undefined>;
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
      // Our own earlier attempt claimed the thread but did not record a parent; Slack may have
      // accepted it (its answer lost): look before posting.
      if (
        (await openThread(alerts, { claimId, openedAt: thread.openedAt }, true, timeoutMs, deps)) ===
        'adopted'
      ) {
        continue;
      }
      return;
    }
    if (!live || abandoned) {
      // A takeover continues the abandoned claim's window: a parent it posted carries that window.
      const openedAt = abandoned ? thread.openedAt : now;
      const claim = {
        claimId,
        now,
        openedAt,
        expiresAtSeconds: Math.ceil((openedAt + deps.windowMs) / 1000) + THREAD_TTL_AFTER_WINDOW_S,
      };
      if (await stored('claim', () => deps.store.claim(destination, principal, claim, thread?.claimId))) {
        deps.logger.info(
          { destination, alertId: first.alertId, takeover: abandoned },
          'slack thread claimed',
        );
        // A dispatcher killed between Slack accepting its parent and recording the ts left a
        // parent in the channel: a takeover looks for it before posting one.
        if ((await openThread(alerts, { claimId, openedAt }, abandoned, timeoutMs, deps)) === 'adopted') {
          continue;
        }
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

/** What a parent's metadata says: whose thread (destination, principal, window) and its alerts. */
function parentMetadata(
  deps: ThreadedSlackDeps,
  principal: string,
  claim: { claimId: string; openedAt: number },
  additions: ThreadAdditions,
): SlackMessageMetadata {
  return {
    event_type: THREAD_PARENT_EVENT_TYPE,
    event_payload: {
      thread_key: `${deps.destination}#${principal}`,
      window: claim.openedAt,
      claim: claim.claimId,
      additions: JSON.stringify(additions),
    },
  };
}

function parseAdditions(value: unknown): ThreadAdditions {
  const out: ThreadAdditions = { alertIds: [], levels: [], severities: [], eventTimes: [] };
  if (typeof value !== 'string') return out;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const list = (v: unknown) =>
      Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
    return {
      alertIds: list(parsed['alertIds']),
      levels: list(parsed['levels']),
      severities: list(parsed['severities']),
      eventTimes: list(parsed['eventTimes']),
    };
  } catch {
    return out;
  }
}

/**
 * Opens the thread of our claim: posts the parent (with metadata naming the thread and window)
 * and records its ts. With `lookFirst` (a takeover, or a retry of our own claim) it first looks
 * for a parent already in the channel for this thread and window, and adopts it instead of
 * posting: 'adopted' tells the caller to re-read the thread and reply in it.
 */
async function openThread(
  alerts: readonly AlertRecord[],
  claim: { claimId: string; openedAt: number },
  lookFirst: boolean,
  timeoutMs: number,
  deps: ThreadedSlackDeps,
): Promise<'posted' | 'adopted'> {
  const principal = alerts[0]!.principal;
  const message = deps.render(alerts);
  const additions = additionsOf(alerts);
  const metadata = parentMetadata(deps, principal, claim, additions);
  if (lookFirst) {
    if (deps.findParent) {
      const key = metadata.event_payload['thread_key'];
      const found = await deps.findParent(
        (m) =>
          m.event_type === THREAD_PARENT_EVENT_TYPE &&
          m.event_payload['thread_key'] === key &&
          m.event_payload['window'] === claim.openedAt,
        claim.openedAt - PARENT_SEARCH_MARGIN_MS,
        timeoutMs,
      );
      if (found) {
        const adopted = { ts: found.ts, channel: found.channel };
        const recorded = await stored('recording the parent', () =>
          deps.store.recordParent(
            deps.destination,
            principal,
            claim.claimId,
            adopted,
            withoutThreadSummary(found),
            parseAdditions(found.metadata?.event_payload['additions']),
          ),
        );
        deps.logger.info(
          { destination: deps.destination, alertId: alerts[0]!.alertId, ts: found.ts, recorded },
          'slack thread parent found in the channel; adopted instead of posting another',
        );
        return 'adopted';
      }
    } else {
      deps.logger.warn(
        { destination: deps.destination, alertId: alerts[0]!.alertId },
        'slack thread parent cannot be looked up (channel is a name, not an id); posting a parent',
      );
    }
  }
  const parent = await deps.post(
    withThreadSummary(message, threadSummary(additions)),
    timeoutMs,
    undefined,
    metadata,
  );
  const recorded = await stored('recording the parent', () =>
    deps.store.recordParent(deps.destination, principal, claim.claimId, parent, message, additions),
  );
  if (!recorded) {
    // Only after our claim aged past the lease and another took it: the message stands alone.
    deps.logger.warn(
      { destination: deps.destination, alertId: alerts[0]!.alertId },
      'slack thread claim was taken over; this parent was posted outside the thread',
    );
  }
  return 'posted';
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

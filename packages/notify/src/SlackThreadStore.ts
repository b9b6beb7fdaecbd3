import type { SlackMessage } from './renderSlack';
import type { SlackPostedMessage } from './slackTransport';

/**
 * The Slack thread of one principal at one destination, as the thread store holds it. At most
 * one is live per (destination, principal): a new one replaces it only through a conditional
 * write on the `claimId` that was read, so concurrent dispatchers agree on one thread.
 */
export interface SlackThread {
  destination: string;
  principal: string;
  /** Who opened (or is opening) this thread: `<dispatcher instance>:<first alert id>`. */
  claimId: string;
  /** Epoch ms of the claim; a claim without a parent past the lease may be taken over. */
  claimedAt: number;
  /** Epoch ms the thread was opened; its window runs from here. */
  openedAt: number;
  /** The parent message, once posted and recorded. */
  parent?: SlackPostedMessage;
  /** The parent's original content (the first group's message), re-sent with each summary edit. */
  parentMessage?: SlackMessage;
  alertIds: string[];
  levels: string[];
  severities: string[];
  eventTimes: string[];
}

/** What one delivery adds to a thread's running summary (sets: adding twice changes nothing). */
export interface ThreadAdditions {
  alertIds: readonly string[];
  levels: readonly string[];
  severities: readonly string[];
  eventTimes: readonly string[];
}

export interface SlackThreadStore {
  /** The current thread (strongly consistent), or undefined. */
  get(destination: string, principal: string): Promise<SlackThread | undefined>;
  /**
   * Claims the right to open a new thread: succeeds only if the stored thread is still the one
   * read (`previousClaimId`, or none). Returns false when another claim won. `openedAt` (default
   * `now`) keeps an abandoned claim's window on a takeover.
   */
  claim(
    destination: string,
    principal: string,
    claim: { claimId: string; now: number; expiresAtSeconds: number; openedAt?: number },
    previousClaimId: string | undefined,
  ): Promise<boolean>;
  /** Records the posted parent on our own claim (false when the claim was replaced meanwhile). */
  recordParent(
    destination: string,
    principal: string,
    claimId: string,
    parent: SlackPostedMessage,
    parentMessage: SlackMessage,
    additions: ThreadAdditions,
  ): Promise<boolean>;
  /** Adds a reply's alerts to the summary of the thread `claimId`; undefined when it was replaced. */
  addToSummary(
    destination: string,
    principal: string,
    claimId: string,
    additions: ThreadAdditions,
  ): Promise<SlackThread | undefined>;
}

import type { Alert } from '@firstseen/core';
import type { TriageDecisionKind } from '@firstseen/notify';

export type { TriageDecisionKind };

/** Who clicked, and where. Strings come from Slack's signed payload, still bounded before storing. */
export interface Triager {
  userId: string;
  userName?: string;
  teamId?: string;
  teamDomain?: string;
  channelId?: string;
  channelName?: string;
}

/** One triage decision, as kept on the alert item (`decisions`, `triage`) and logged. */
export interface Decision extends Triager {
  alertId: string;
  decision: TriageDecisionKind;
  /** ISO 8601. */
  at: string;
  /** Identifies the click (user, action_ts, alert, action): a retried click has the same key. */
  requestKey: string;
  /** The suppression the decision added (Expected, Snooze). */
  suppressionId?: string;
  /** ISO 8601 end of that suppression. */
  suppressedUntil?: string;
  /** Suspicious: what happened to the escalation. */
  escalation?: 'sent' | 'already-escalated' | 'failed';
}

/**
 * Remembers request keys; `claim` is true exactly once per key while it is held. A key is held
 * strictly past `acceptedUntilMs` (the last instant its request passes the timestamp check),
 * by REPLAY_KEY_MARGIN_MS, so a replay at the very edge of the window is still refused.
 */
export interface ReplayGuard {
  claim(key: string, acceptedUntilMs: number): Promise<boolean>;
}

/** An alert item with its triage state. */
export type TriageAlert = Alert & {
  decisions?: Decision[];
  escalation?: Escalation;
};

export interface Escalation {
  status: 'pending' | 'sent' | 'failed';
  by: string;
  at: string;
  requestKey: string;
}

export type RecordOutcome =
  /** The decision was recorded (and, when asked, this call owns the escalation). */
  | { kind: 'recorded'; escalate: boolean }
  /** The decision was recorded, but another click already escalated this alert. */
  | { kind: 'already-escalated'; escalation: Escalation }
  /** The same click was recorded before (a retry): nothing changed. */
  | { kind: 'duplicate' }
  | { kind: 'missing' };

/** Decisions on alert items (the alerts table). */
export interface AlertDecisionStore {
  get(alertId: string): Promise<TriageAlert | undefined>;
  /**
   * Appends the decision unless this click was recorded before; with `escalate`, also takes
   * the alert's escalation (conditional: only if none was taken, or the last one failed).
   */
  record(decision: Decision, options: { escalate: boolean }): Promise<RecordOutcome>;
  /** Marks the escalation taken by `requestKey` as sent or failed. */
  finishEscalation(alertId: string, requestKey: string, status: 'sent' | 'failed'): Promise<void>;
  /** Every decision made at or after `sinceMs` (the audit). */
  decisionsSince(sinceMs: number): Promise<Decision[]>;
}

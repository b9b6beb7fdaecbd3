import type { Alert } from '@firstseen/core';
import type { AlertDecisionStore, Decision, RecordOutcome, TriageAlert } from './types';

/** Alert items in a Map, with the same conditional semantics as the DynamoDB store. */
export class InMemoryAlertDecisionStore implements AlertDecisionStore {
  readonly alerts = new Map<string, TriageAlert & { triageRequests?: Set<string> }>();

  constructor(initial: readonly Alert[] = []) {
    for (const a of initial) this.alerts.set(a.alertId, structuredClone(a));
  }

  async get(alertId: string): Promise<TriageAlert | undefined> {
    const a = this.alerts.get(alertId);
    if (!a) return undefined;
    const { triageRequests: _, ...rest } = a;
    return structuredClone(rest);
  }

  async record(decision: Decision, options: { escalate: boolean }): Promise<RecordOutcome> {
    const a = this.alerts.get(decision.alertId);
    if (!a) return { kind: 'missing' };
    a.triageRequests ??= new Set();
    if (a.triageRequests.has(decision.requestKey)) return { kind: 'duplicate' };
    let outcome: RecordOutcome = { kind: 'recorded', escalate: false };
    if (options.escalate) {
      if (a.escalation && a.escalation.status !== 'failed') {
        outcome = { kind: 'already-escalated', escalation: { ...a.escalation } };
      } else {
        a.escalation = {
          status: 'pending',
          by: decision.userId,
          at: decision.at,
          requestKey: decision.requestKey,
        };
        outcome = { kind: 'recorded', escalate: true };
      }
    }
    a.triageRequests.add(decision.requestKey);
    a.decisions = [...(a.decisions ?? []), { ...decision }];
    return outcome;
  }

  async finishEscalation(alertId: string, requestKey: string, status: 'sent' | 'failed'): Promise<void> {
    const e = this.alerts.get(alertId)?.escalation;
    if (e && e.requestKey === requestKey) e.status = status;
  }

  async decisionsSince(sinceMs: number): Promise<Decision[]> {
    return [...this.alerts.values()]
      .flatMap((a) => a.decisions ?? [])
      .filter((d) => Date.parse(d.at) >= sinceMs)
      .sort((x, y) => x.at.localeCompare(y.at));
  }
}

import type { Alert } from '@firstseen/core';
import type { AlertOutbox } from './types';

/** An alerts outbox in process memory with the DynamoDB outbox's rule: the first alert per alertId stands. */
export class InMemoryAlertOutbox implements AlertOutbox {
  readonly alerts = new Map<string, Alert>();
  /** Every put attempted, including those that found the alert already there. */
  puts = 0;

  async put(alert: Alert): Promise<boolean> {
    this.puts++;
    if (this.alerts.has(alert.alertId)) return false;
    this.alerts.set(alert.alertId, structuredClone(alert));
    return true;
  }
}

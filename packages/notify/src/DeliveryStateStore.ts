import type { AlertRecord, DeliveryMap, DeliveryState } from './types';

/** Delivery state per alert and destination, kept on the alert item. */
export interface DeliveryStateStore {
  /** Current delivery maps (missing alerts map to `{}`). */
  getDelivery(alertIds: readonly string[]): Promise<Map<string, DeliveryMap>>;
  /**
   * Writes one destination's state. A `delivered` state is never overwritten by a failure
   * (implementations make that a condition of the write).
   */
  putState(alertId: string, destination: string, state: DeliveryState): Promise<void>;
  /** Every alert with its delivery map (redrive). */
  scanAlerts(): AsyncIterable<{ alert: AlertRecord; delivery: DeliveryMap }>;
}

/** An in-memory store for tests and the console-only local mode. */
export class InMemoryDeliveryStateStore implements DeliveryStateStore {
  readonly alerts = new Map<string, AlertRecord>();
  readonly delivery = new Map<string, DeliveryMap>();
  /** Every putState call, in order (tests assert on it). */
  readonly writes: { alertId: string; destination: string; state: DeliveryState }[] = [];

  addAlert(alert: AlertRecord): void {
    this.alerts.set(alert.alertId, alert);
  }

  async getDelivery(alertIds: readonly string[]): Promise<Map<string, DeliveryMap>> {
    return new Map(alertIds.map((id) => [id, structuredClone(this.delivery.get(id) ?? {})]));
  }

  async putState(alertId: string, destination: string, state: DeliveryState): Promise<void> {
    const map = this.delivery.get(alertId) ?? {};
    if (map[destination]?.status === 'delivered' && state.status !== 'delivered') return;
    map[destination] = structuredClone(state);
    this.delivery.set(alertId, map);
    this.writes.push({ alertId, destination, state: structuredClone(state) });
  }

  async *scanAlerts(): AsyncIterable<{ alert: AlertRecord; delivery: DeliveryMap }> {
    for (const alert of this.alerts.values()) {
      yield { alert, delivery: structuredClone(this.delivery.get(alert.alertId) ?? {}) };
    }
  }
}

import type { Alert } from '@firstseen/core';

/** The alert as delivery reads it back: core's Alert (AlertSchema), the one definition. */
export type AlertRecord = Alert;

export type DeliveryStatus = 'delivered' | 'failed' | 'permanent';

/** Delivery state of one alert at one destination, stored as `delivery.<destination>` on the item. */
export interface DeliveryState {
  status: DeliveryStatus;
  /** Attempts over every invocation so far. */
  attempts: number;
  /** ISO 8601, set when status is delivered. */
  deliveredAt?: string;
  /** Why the last attempt failed (never contains a secret). */
  lastError?: string;
  /** `group` (a message for this principal) or `storm-summary` (one summary for many alerts). */
  via?: 'group' | 'storm-summary' | 'console';
  updatedAt: string;
}

/** destination name -> state */
export type DeliveryMap = Record<string, DeliveryState>;

/** Epoch milliseconds now. */
export type Clock = () => number;
export type Sleep = (ms: number) => Promise<void>;
/** A number in [0, 1). */
export type RandomSource = () => number;

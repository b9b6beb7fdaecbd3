import { parseAlert } from '@firstseen/core';
import { z } from 'zod';
import type { AlertRecord, DeliveryMap } from './types';

const DeliveryStateSchema = z.object({
  status: z.enum(['delivered', 'failed', 'permanent']),
  attempts: z.number().int().nonnegative().catch(0),
  deliveredAt: z.string().optional(),
  lastError: z.string().optional(),
  via: z.enum(['group', 'storm-summary', 'console']).optional(),
  updatedAt: z.string().catch(''),
});

export type ParsedItem = { alert: AlertRecord; delivery: DeliveryMap };

/** Parses an unmarshalled item into the alert (core's AlertSchema) and its delivery map; undefined when not an alert. */
export function parseAlertItem(item: Record<string, unknown>): ParsedItem | undefined {
  const alert = parseAlert(item);
  if (alert === undefined) return undefined;
  const rawDelivery = item['delivery'];
  const delivery: DeliveryMap = {};
  if (rawDelivery && typeof rawDelivery === 'object') {
    for (const [dest, state] of Object.entries(rawDelivery as Record<string, unknown>)) {
      const s = DeliveryStateSchema.safeParse(state);
      if (s.success) delivery[dest] = s.data;
    }
  }
  return { alert, delivery };
}

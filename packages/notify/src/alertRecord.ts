import { AlertEvidenceSchema } from '@firstseen/core';
import { z } from 'zod';
import type { AlertRecord, DeliveryMap } from './types';

const LevelSchema = z.enum(['account', 'role', 'region', 'window']);

const DeliveryStateSchema = z.object({
  status: z.enum(['delivered', 'failed', 'permanent']),
  attempts: z.number().int().nonnegative().catch(0),
  deliveredAt: z.string().optional(),
  lastError: z.string().optional(),
  via: z.enum(['group', 'storm-summary', 'console']).optional(),
  updatedAt: z.string().catch(''),
});

/**
 * An alerts-table item as read from the stream image or a scan. Only what delivery needs is
 * required; unknown attributes (createdAt, expiresAt, delivery, ...) are kept or ignored.
 */
export const AlertRecordSchema = z
  .object({
    alertId: z.string().min(1),
    eventId: z.string().min(1),
    eventTime: z.string().min(1),
    principal: z.string().min(1),
    account: z.string(),
    region: z.string(),
    action: z.string().min(1),
    levels: z.array(LevelSchema).catch([]),
    severity: z.enum(['low', 'medium', 'high']),
    severityRule: z.string().optional().catch(undefined),
    identityType: z.string().catch(''),
    sessionName: z.string().optional().catch(undefined),
    sourceIdentity: z.string().optional().catch(undefined),
    sourceIPAddress: z.string().optional().catch(undefined),
    userAgent: z.string().optional().catch(undefined),
    errorCode: z.string().optional().catch(undefined),
    errorMessage: z.string().optional().catch(undefined),
    requestParameters: z.unknown().optional(),
    previousSeen: z.string().optional().catch(undefined),
    firstSuccessAfterFailure: z.boolean().optional().catch(undefined),
    sensitive: z.boolean().optional().catch(undefined),
    source: z.enum(['live', 'seed', 'reconcile']).catch('live'),
    evidence: AlertEvidenceSchema.optional().catch(undefined),
    context: z.record(z.string(), z.unknown()).catch({}),
    createdAt: z.union([z.string(), z.number()]).optional().catch(undefined),
  })
  .passthrough();

export type ParsedItem = { alert: AlertRecord; delivery: DeliveryMap };

/** Parses an unmarshalled item into the alert and its delivery map; undefined when invalid. */
export function parseAlertItem(item: Record<string, unknown>): ParsedItem | undefined {
  const withId = { alertId: item['alertId'] ?? item['pk'], ...item };
  const parsed = AlertRecordSchema.safeParse(withId);
  if (!parsed.success) return undefined;
  const { delivery: rawDelivery, pk: _pk, expiresAt: _exp, ...rest } = parsed.data as Record<string, unknown>;
  const delivery: DeliveryMap = {};
  if (rawDelivery && typeof rawDelivery === 'object') {
    for (const [dest, state] of Object.entries(rawDelivery as Record<string, unknown>)) {
      const s = DeliveryStateSchema.safeParse(state);
      if (s.success) delivery[dest] = s.data;
    }
  }
  return { alert: rest as unknown as AlertRecord, delivery };
}

import { paginateScan } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '@firstseen/core';
import type { LocalStack } from '@firstseen/local-stack';
import { DynamoDeliveryStateStore, routeAlert, SLACK_THREAD_KEY_PREFIX } from '@firstseen/notify';
import type { DemoContext } from '../context';
import type { DestinationResult } from '../types';
import { waitFor } from '../wait';
import type { RunningPipeline } from './startPipeline';

export interface Deliveries {
  /** From the start of publishing until the console had every alert written. */
  liveMs: number;
  destinations: DestinationResult[];
}

/**
 * Waits until the console has delivered every alert written to the alerts table and every
 * configured destination has an outcome for every alert routed to it, then a short quiet period
 * (so that a duplicate delivery would be seen).
 */
export async function waitForDeliveries(
  ctx: DemoContext,
  stack: LocalStack,
  config: Config,
  { deliveries }: RunningPipeline,
  liveStartedAt: number,
): Promise<Deliveries> {
  const alertsWritten = await countItems(stack, stack.resources.alertsTable);
  const deliveredIds = () => new Set(deliveries.map((d) => d.alertId)).size;
  await waitFor(
    () => deliveredIds() >= alertsWritten,
    ctx.drainTimeoutMs,
    () => `${deliveredIds()} of ${alertsWritten} alerts delivered`,
    ctx.signal,
  );
  const liveMs = Math.max(1, Date.now() - liveStartedAt);
  // Every destination has an outcome for every alert routed to it (console is done already).
  const deliveryStore = new DynamoDeliveryStateStore(
    DynamoDBDocumentClient.from(stack.clients.dynamodb),
    stack.resources.alertsTable,
  );
  await waitFor(
    async () => {
      const destinations = await destinationResults(deliveryStore, config);
      return destinations.every((d) => d.delivered + d.permanent + d.failed === d.routed);
    },
    ctx.drainTimeoutMs,
    () => 'not every destination has an outcome for every alert',
  );
  // A short quiet period, so that a duplicate delivery would be seen.
  await new Promise((resolve) => setTimeout(resolve, 500));
  return { liveMs, destinations: await destinationResults(deliveryStore, config) };
}

/**
 * Per configured destination, what the alerts' delivery state says: routed (by the routing
 * rules), delivered, failed permanently, failed transiently or not attempted yet.
 */
async function destinationResults(
  store: DynamoDeliveryStateStore,
  config: Config,
): Promise<DestinationResult[]> {
  const results = new Map<string, DestinationResult>(
    Object.keys(config.routing.destinations).map((d) => [
      d,
      { destination: d, routed: 0, delivered: 0, permanent: 0, failed: 0, ok: false },
    ]),
  );
  for await (const { alert, delivery } of store.scanAlerts()) {
    if (alert.source === 'seed') continue;
    for (const d of routeAlert(alert, config.routing)) {
      const r = results.get(d);
      if (!r) continue;
      r.routed += 1;
      const state = delivery[d];
      if (state?.status === 'delivered') r.delivered += 1;
      else if (state?.status === 'permanent') r.permanent += 1;
      else if (state !== undefined) r.failed += 1;
      if (state?.lastError && state.status !== 'delivered') r.lastError ??= state.lastError;
    }
  }
  for (const r of results.values()) r.ok = r.delivered > 0;
  return [...results.values()];
}

/** The alerts in the alerts table (Slack bot mode keeps its thread items there too; not alerts). */
async function countItems(stack: LocalStack, table: string): Promise<number> {
  let count = 0;
  for await (const page of paginateScan(
    { client: stack.clients.dynamodb },
    {
      TableName: table,
      Select: 'COUNT',
      FilterExpression: 'NOT begins_with(pk, :thread)',
      ExpressionAttributeValues: { ':thread': { S: SLACK_THREAD_KEY_PREFIX } },
    },
  ))
    count += page.Count ?? 0;
  return count;
}

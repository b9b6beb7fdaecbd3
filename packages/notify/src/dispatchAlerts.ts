import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { parseAlertItem } from './alertRecord';
import { SLACK_THREAD_KEY_PREFIX } from './DynamoSlackThreadStore';
import { type DeliverDeps, type DeliveryReport, deliverAlerts } from './deliverAlerts';
import { deliveryMetricsLine } from './deliveryMetrics';
import type { AlertRecord } from './types';

/**
 * The alert-dispatcher's logic for one DynamoDB Streams batch of the alerts table: INSERT
 * records only (the outbox put; MODIFY records are our own delivery-state writes), alerts
 * delivered, and every record whose alert a retry may still deliver (a transient failure, a
 * delivery state not written) reported in `batchItemFailures` by its SequenceNumber, so
 * Lambda retries from there. A permanent failure (HTTP 400/403/404/410, Slack's permanent
 * errors, an invalid URL, input the renderer cannot handle) is recorded on the alert and its
 * record acknowledged at once: retrying it would only hold up the shard, and every other
 * destination and later alert with it. The PermanentDeliveryFailures metric counts them, and
 * `redrive` re-sends them after the fix.
 */
export async function dispatchAlerts(
  event: DynamoDBStreamEvent,
  deps: DeliverDeps,
): Promise<DynamoDBBatchResponse> {
  const alertRecords: { sequenceNumber: string; alert: AlertRecord }[] = [];
  for (const record of event.Records) {
    if (record.eventName !== 'INSERT') continue;
    // Slack thread items share the table (see DynamoSlackThreadStore); they are not alerts.
    if (record.dynamodb?.Keys?.['pk']?.S?.startsWith(SLACK_THREAD_KEY_PREFIX)) continue;
    const sequenceNumber = record.dynamodb?.SequenceNumber;
    const image = record.dynamodb?.NewImage;
    if (!sequenceNumber || !image) {
      deps.logger.error(
        { eventID: record.eventID },
        'INSERT record without NewImage or SequenceNumber; skipped',
      );
      continue;
    }
    let parsed: ReturnType<typeof parseAlertItem>;
    try {
      parsed = parseAlertItem(
        unmarshall(image as Parameters<typeof unmarshall>[0]) as Record<string, unknown>,
      );
    } catch (err) {
      parsed = undefined;
      deps.logger.error({ err, sequenceNumber }, 'NewImage could not be unmarshalled');
    }
    if (!parsed) {
      // Retrying cannot fix a malformed item: log it and let the shard move on.
      deps.logger.error({ sequenceNumber }, 'alert item is not a valid alert; skipped');
      continue;
    }
    alertRecords.push({ sequenceNumber, alert: parsed.alert });
  }
  if (alertRecords.length === 0) return { batchItemFailures: [] };

  let retry: Set<string>;
  let outcomes: DeliveryReport['outcomes'] = {};
  try {
    const report = await deliverAlerts(
      alertRecords.map((r) => r.alert),
      deps,
    );
    retry = new Set(report.retryable);
    outcomes = report.outcomes;
  } catch (err) {
    // Reading delivery state failed (DynamoDB): nothing was sent, so the whole batch retries.
    deps.logger.error({ err }, 'delivery failed for the whole batch');
    retry = new Set(alertRecords.map((r) => r.alert.alertId));
  }
  const batchItemFailures = alertRecords
    .filter((r) => retry.has(r.alert.alertId))
    .map((r) => ({ itemIdentifier: r.sequenceNumber }));
  deps.metrics(deliveryMetricsLine(outcomes, deps.functionName, deps.now()));
  deps.logger.info(
    {
      records: event.Records.length,
      alerts: alertRecords.length,
      retried: batchItemFailures.length,
      outcomes,
    },
    'batch dispatched',
  );
  return { batchItemFailures };
}

import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { parseAlertItem } from './alertRecord';
import { SLACK_THREAD_KEY_PREFIX } from './DynamoSlackThreadStore';
import { type DeliverDeps, deliverAlerts } from './deliverAlerts';
import type { AlertRecord } from './types';

/**
 * The alert-dispatcher's logic for one DynamoDB Streams batch of the alerts table: INSERT
 * records only (the outbox put; MODIFY records are our own delivery-state writes), alerts
 * delivered, and every record whose alert is not yet delivered everywhere reported in
 * `batchItemFailures` by its SequenceNumber, so Lambda retries from there and, after the
 * mapping's bounded retries, hands the batch to the on-failure destination.
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

  let incomplete: Set<string>;
  try {
    const report = await deliverAlerts(
      alertRecords.map((r) => r.alert),
      deps,
    );
    incomplete = new Set(report.incomplete);
  } catch (err) {
    deps.logger.error({ err }, 'delivery failed for the whole batch');
    incomplete = new Set(alertRecords.map((r) => r.alert.alertId));
  }
  const batchItemFailures = alertRecords
    .filter((r) => incomplete.has(r.alert.alertId))
    .map((r) => ({ itemIdentifier: r.sequenceNumber }));
  deps.logger.info(
    { records: event.Records.length, alerts: alertRecords.length, failed: batchItemFailures.length },
    'batch dispatched',
  );
  return { batchItemFailures };
}

import { type DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type Alert, parseAlert } from '@firstseen/core';
import { SLACK_THREAD_KEY_PREFIX } from '@firstseen/notify';
import type { ChaosReport } from '../types';

export interface ReferenceComparison {
  /** Every alert in the outbox, by id. */
  written: Map<string, Alert>;
  /** Outbox alerts the reference engine does not produce. */
  unexpectedAlerts: number;
  /** Outbox alerts the reference engine produces with other levels. */
  mismatchedLevels: number;
  /** Both kinds, every one of them (the report keeps the first 20). */
  mismatches: ChaosReport['mismatches'];
}

/** Scans the outbox (the alerts table) and compares each written alert with the reference engine's. */
export async function compareWithReference(
  admin: DynamoDBClient,
  alertsTable: string,
  expected: ReadonlyMap<string, Alert>,
): Promise<ReferenceComparison> {
  const written = new Map<string, Alert>();
  for await (const page of paginateScan({ client: admin }, { TableName: alertsTable })) {
    for (const item of page.Items ?? []) {
      // Slack bot mode keeps a thread item per principal in the same table: not an alert.
      if (item['pk']?.S?.startsWith(SLACK_THREAD_KEY_PREFIX)) continue;
      const a = parseAlert(unmarshall(item));
      if (a === undefined) throw new Error(`alerts table item ${String(item['pk']?.S)} is not an alert`);
      written.set(a.alertId, a);
    }
  }
  let mismatchedLevels = 0;
  let unexpectedAlerts = 0;
  const mismatches: ChaosReport['mismatches'] = [];
  for (const [id, a] of written) {
    const e = expected.get(id);
    if (!e) {
      unexpectedAlerts++;
      mismatches.push({
        alertId: id,
        principal: a.principal,
        action: a.action,
        expected: [],
        written: a.levels,
      });
    } else if ([...e.levels].sort().join() !== [...a.levels].sort().join()) {
      mismatchedLevels++;
      mismatches.push({
        alertId: id,
        principal: a.principal,
        action: a.action,
        expected: e.levels,
        written: a.levels,
      });
    }
  }
  return { written, unexpectedAlerts, mismatchedLevels, mismatches };
}

import type { ChaosReport } from '../types';

/** The trail feed's lines (`--feed both` or dropped EventBridge deliveries), else none. */
function trailRows(r: ChaosReport): [string, string | number][] {
  if (r.feed === 'eventbridge' && r.eventBridgeDropped === 0) return [];
  return [
    ['feed', r.feed],
    ['EventBridge deliveries dropped', r.eventBridgeDropped],
    ['trail log files (dead-lettered)', `${r.trailFiles} (${r.trailDeadLettered})`],
    ['alerts first written by the trail feed', r.alertsFromTrail],
  ];
}

/** The human-readable report of a chaos run. */
export function formatChaosReport(r: ChaosReport): string {
  const rows: [string, string | number][] = [
    ['events (distinct, valid)', r.events],
    ['Kinesis records put', r.recordsPublished],
    ['duplicates injected (producer retries)', r.duplicatesInjected],
    ['poison records injected (distinct)', r.poisonInjected],
    [
      'crashes injected (detector + dispatcher)',
      `${r.crashesInjected} (${r.detectorCrashes} + ${r.dispatcherCrashes})`,
    ],
    ['DynamoDB Local restarts', r.dynamodbRestarts],
    ['DynamoDB requests throttled', r.throttledRequests],
    ['expected alerts (reference engine)', r.expectedAlerts],
    ['delivered to Slack', `${r.deliveredSlack} of ${r.expectedSlack}`],
    ['delivered to PagerDuty', `${r.deliveredPagerDuty} of ${r.expectedPagerDuty}`],
    ['lost', r.lost],
    ['duplicate pages (PagerDuty incidents)', r.duplicatePages],
    ['repeat triggers folded by PagerDuty dedup', r.pagerDutyRepeatTriggers],
    ['duplicate Slack appearances', r.duplicateSlack],
    ...(r.threadsOpened !== undefined
      ? ([
          [
            'Slack threads opened (principals)',
            `${r.threadsOpened} (${r.threadPrincipals}), ${r.duplicateThreads} beyond one per principal and window`,
          ],
        ] as [string, string][])
      : []),
    ['quarantined (distinct poison)', r.quarantined],
    ['valid records quarantined', r.quarantinedValid],
    ['unexpected / mismatched alerts', `${r.unexpectedAlerts} / ${r.mismatchedLevels}`],
    ['shard stalls (batches discarded)', `${r.shardStalls} (${r.discardedRecords} records)`],
    ['alerts delivered by redrive', r.redriven],
    ...trailRows(r),
    ['duration', `${(r.durationMs / 1000).toFixed(1)} s`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  if (r.lostAlertIds.length > 0) lines.push(`  lost alert ids: ${r.lostAlertIds.join(', ')}`);
  lines.push(
    r.ok ? 'Result: nothing lost, no duplicate page, every poison record quarantined.' : 'Result: FAILED',
  );
  return `${lines.join('\n')}\n`;
}

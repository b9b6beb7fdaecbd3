import { emfLine } from '@firstseen/core';
import type { DetectorCounts } from './types';

export function emptyCounts(): DetectorCounts {
  return {
    records: 0,
    observed: 0,
    ignored: 0,
    untrustedSource: 0,
    accountMismatch: 0,
    invalid: 0,
    quarantined: 0,
    processingErrors: 0,
    storeRequests: 0,
    cacheHits: 0,
    dynamodbRequests: 0,
    levelsFired: 0,
    suppressed: 0,
    alerts: 0,
    duplicateAlerts: 0,
    failed: 0,
  };
}

/** The batch's counts as one Embedded Metric Format line (core's emfLine). */
export function formatEmfLine(counts: DetectorCounts, functionName: string, timestamp: number): string {
  return emfLine({ ...counts }, functionName, timestamp);
}

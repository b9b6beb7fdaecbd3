import type { ObservedEvent } from '@firstseen/core';
import type { DetectionTrace } from '../types';

/** One detection as `onDetection` sees it: `by` the reference engine or the N-th detector process. */
export function traceOf(by: string, e: ObservedEvent, fired: readonly string[]): DetectionTrace {
  return {
    by,
    eventId: e.eventId,
    principal: e.principal,
    action: e.action,
    account: e.account,
    region: e.region,
    eventTime: e.eventTime,
    failed: e.failed,
    fired: [...fired],
  };
}

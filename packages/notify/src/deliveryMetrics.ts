import { emfLine } from '@firstseen/core';
import type { DeliveryReport } from './deliverAlerts';

/**
 * One CloudWatch Embedded Metric Format line for a dispatch (core's emfLine): Delivered,
 * TransientDeliveryFailures and PermanentDeliveryFailures (alerts x destinations, all
 * destinations together) in namespace Firstseen with the dimension [FunctionName], the shape
 * the detector's metrics use. An alarm on PermanentDeliveryFailures > 0 tells the operator a
 * destination is misconfigured; `npm run redrive` re-sends once it is fixed.
 */
export function deliveryMetricsLine(
  outcomes: DeliveryReport['outcomes'],
  functionName: string,
  timestamp: number,
): string {
  const sum = { Delivered: 0, TransientDeliveryFailures: 0, PermanentDeliveryFailures: 0 };
  for (const c of Object.values(outcomes)) {
    sum.Delivered += c.delivered;
    sum.TransientDeliveryFailures += c.failed;
    sum.PermanentDeliveryFailures += c.permanent;
  }
  return emfLine(sum, functionName, timestamp);
}

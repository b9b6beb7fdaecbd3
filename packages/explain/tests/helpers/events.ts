import type { Detection, Level, ObservedEvent } from '@firstseen/core';

let n = 0;

/** An observed event with sensible defaults (a role in us-east-1 calling S3 with the JS SDK). */
export function observedEvent(overrides: Partial<ObservedEvent> = {}): ObservedEvent {
  n++;
  const time = overrides.time ?? Date.UTC(2025, 0, 6, 12, 0, n % 60);
  const eventSource = overrides.eventSource ?? 's3.amazonaws.com';
  const eventName = overrides.eventName ?? 'GetObject';
  return {
    eventId: `evt-${n}`,
    eventTime: new Date(time).toISOString(),
    time,
    account: '111122223333',
    region: 'us-east-1',
    eventSource,
    eventName,
    action: `${eventSource}:${eventName}`,
    principal: 'role/payments-api',
    identityType: 'AssumedRole',
    failed: overrides.errorCode !== undefined,
    sessionName: 'i-0abc',
    sourceIPAddress: '10.0.1.17',
    userAgent: 'aws-sdk-js/3.586.0 ua/2.1 os/linux',
    record: {},
    ...overrides,
  };
}

/** A detection in which `fired` levels fired. */
export function detectionOf(event: ObservedEvent, fired: Level[], extra: Partial<Detection> = {}): Detection {
  return {
    eventId: event.eventId,
    fired,
    firstSuccessAfterFailure: false,
    firstSighting: Date.UTC(2024, 0, 1),
    storeRequests: 0,
    cacheHits: 0,
    ...extra,
  };
}

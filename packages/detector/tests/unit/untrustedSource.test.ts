import { toEventBridgeEnvelope } from '@firstseen/core';
import {
  cloudTrailRecord,
  eventBridgeEnvelope,
  inMemoryDetector,
  type KinesisPayload,
  kinesisEvent,
  rootStopLogging,
} from '@firstseen/test-support';
import { processKinesisBatch } from '../../src/processKinesisBatch';

/**
 * docs/semantics.md "Input": only AWS can publish an event whose `source` starts with `aws.`. Anyone
 * allowed to call PutEvents upstream can publish an "AWS API Call via CloudTrail" envelope with
 * any other source and any detail; the detector must learn nothing from it.
 */

const ATTACKER_ACCOUNT = '444455556666';

/** What PutEvents from another account delivers: EventBridge sets `account`; the caller the rest. */
function forged(record: Record<string, unknown>, source: unknown): Record<string, unknown> {
  return { ...toEventBridgeEnvelope(record), source, account: ATTACKER_ACCOUNT };
}

/** Sources an attacker could pick: anything PutEvents accepts, which never starts with `aws.`. */
const FORGED_SOURCES: unknown[] = [
  'custom.cloudtrail',
  'cloudtrail.amazonaws.com',
  'evil.aws.cloudtrail',
  'AWS.cloudtrail',
  'Aws.cloudtrail',
  ' aws.cloudtrail',
  'aws',
  'awscloudtrail',
  'aws-cloudtrail',
  '\u0430ws.cloudtrail', // Cyrillic а
  'aws\u2024cloudtrail', // one dot leader, not a full stop
  '',
  null,
  7,
  ['aws.cloudtrail'],
  { prefix: 'aws.' },
];

describe('processKinesisBatch() with envelopes from untrusted sources', () => {
  it('never pre-claims a key nor alerts for a forged root StopLogging, so the real one still alerts', async () => {
    const d = inMemoryDetector();

    const forgedBatch = kinesisEvent(FORGED_SOURCES.map((s, i) => forged(rootStopLogging(`forged-${i}`), s)));
    const r1 = await processKinesisBatch(forgedBatch, d.deps);

    expect(r1.batchItemFailures).toEqual([]);
    expect(d.outbox.alerts.size).toBe(0);
    expect(d.store.size).toBe(0);
    expect(d.store.writes).toBe(0);
    expect(d.quarantine.items.size).toBe(0);
    expect(JSON.parse(d.metrics[0]!)).toMatchObject({
      records: FORGED_SOURCES.length,
      observed: 0,
      ignored: FORGED_SOURCES.length,
      untrustedSource: FORGED_SOURCES.length,
      alerts: 0,
    });

    const real = await processKinesisBatch(
      kinesisEvent([toEventBridgeEnvelope(rootStopLogging('real'))]),
      d.deps,
    );

    expect(real.batchItemFailures).toEqual([]);
    const alerts = [...d.outbox.alerts.values()];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      eventId: 'real',
      principal: 'root/111122223333',
      action: 'cloudtrail.amazonaws.com:StopLogging',
      severity: 'high',
    });
  });

  it('logs each forged envelope with the account that put it, and never its detail', async () => {
    const d = inMemoryDetector();
    const record = rootStopLogging('forged-log');
    record.requestParameters = { name: 'secret-marker-in-detail' };

    await processKinesisBatch(kinesisEvent([forged(record, 'custom.cloudtrail')]), d.deps);

    const warnings = d.logs.entries.filter((e) => e.msg === 'envelope from an untrusted source ignored');
    expect(warnings).toEqual([
      expect.objectContaining({
        envelopeAccount: ATTACKER_ACCOUNT,
        detail: 'source "custom.cloudtrail" is not aws.*',
      }),
    ]);
    expect(d.logs.lines.join('\n')).not.toContain('secret-marker-in-detail');
  });

  it('alerts only on the genuine events of a batch flooded with forgeries', async () => {
    const genuine = Array.from({ length: 5 }, (_, i) =>
      eventBridgeEnvelope(
        cloudTrailRecord({ eventId: `real-${i}`, role: `team-${i}`, eventName: 'CreateUser' }),
      ),
    );
    // 2,000 forgeries across 400 principals and every forged source; the same principals and
    // action as the genuine events, and their own, would all be first occurrences.
    const forgeries = Array.from({ length: 2000 }, (_, i) =>
      forged(
        cloudTrailRecord({
          eventId: `forged-${i}`,
          role: `team-${i % 400}`,
          eventName: i % 2 ? 'CreateUser' : 'DeleteTrail',
        }),
        FORGED_SOURCES[i % FORGED_SOURCES.length],
      ),
    );
    const payloads: KinesisPayload[] = [...forgeries.slice(0, 1000), ...genuine, ...forgeries.slice(1000)];
    const d = inMemoryDetector();

    const res = await processKinesisBatch(kinesisEvent(payloads), d.deps);

    expect(res.batchItemFailures).toEqual([]);
    expect([...d.outbox.alerts.values()].map((a) => a.eventId).sort()).toEqual(
      genuine.map((g) => (g.detail as { eventID: string }).eventID),
    );
    expect(JSON.parse(d.metrics[0]!)).toMatchObject({ observed: 5, untrustedSource: 2000, alerts: 5 });
  });

  it('observes an aws.* envelope whose account differs from recipientAccountId, and counts and logs it', async () => {
    const d = inMemoryDetector();
    const record = cloudTrailRecord({ eventId: 'mismatch', account: '111122223333' });
    const envelope = { ...eventBridgeEnvelope(record), account: ATTACKER_ACCOUNT };

    await processKinesisBatch(kinesisEvent([envelope]), d.deps);

    expect(d.outbox.alerts.size).toBe(1);
    expect(JSON.parse(d.metrics[0]!)).toMatchObject({ observed: 1, accountMismatch: 1, untrustedSource: 0 });
    expect(d.logs.entries).toContainEqual(
      expect.objectContaining({
        envelopeAccount: ATTACKER_ACCOUNT,
        recipientAccountId: '111122223333',
        eventId: 'mismatch',
      }),
    );
  });
});

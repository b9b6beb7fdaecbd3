import { cloudTrailRecord, inMemoryDetector, kinesisEvent } from '@firstseen/test-support';
import { processKinesisBatch } from '../../src/processKinesisBatch';

// Issue 25, "why nothing alerted": at debug level the detector says, for each event that fired
// levels without alerting, why (as core's Detection.why), and which ignore rule dropped a record.

describe('processKinesisBatch() at debug level', () => {
  it('logs burn-in and until when for levels that fired without an alert', async () => {
    const d = inMemoryDetector({ config: { burnInDays: 14 } });
    await processKinesisBatch(
      kinesisEvent([cloudTrailRecord({ eventId: 'e-1', eventName: 'ListRoles' })]),
      d.deps,
    );

    expect(d.outbox.alerts.size).toBe(0);
    const entries = d.logs.entries.filter((e) => e.msg === 'levels fired: no alert');
    expect(entries).toEqual([
      expect.objectContaining({
        eventId: 'e-1',
        principal: 'role/deploy',
        action: 'iam.amazonaws.com:ListRoles',
        levels: ['account', 'role', 'region'],
        why: {
          code: 'burn-in',
          firstSighting: '2024-05-01T12:00:00.000Z',
          until: '2024-05-15T12:00:00.000Z',
        },
      }),
    ]);
  });

  it('logs the ignore rule that dropped a record', async () => {
    const d = inMemoryDetector({ config: { ignore: { principals: ['role/deploy'] } } });
    await processKinesisBatch(kinesisEvent([cloudTrailRecord({ eventId: 'e-2' })]), d.deps);

    const entries = d.logs.entries.filter((e) => e.msg === 'record ignored: no alert');
    expect(entries).toEqual([
      expect.objectContaining({
        eventId: 'e-2',
        why: { code: 'ignored', reason: 'ignore-rule', detail: 'matched ignore.principals[0] "role/deploy"' },
      }),
    ]);
  });

  it('bounds the strings it logs from a record', async () => {
    const d = inMemoryDetector({ config: { burnInDays: 14 } });
    await processKinesisBatch(
      kinesisEvent([
        cloudTrailRecord({ eventId: 'e-3', role: 'r'.repeat(60), eventName: `X${'y'.repeat(400)}` }),
      ]),
      d.deps,
    );
    const [entry] = d.logs.entries.filter((e) => e.msg === 'levels fired: no alert');
    expect(String(entry?.action).length).toBeLessThanOrEqual(201);
  });
});

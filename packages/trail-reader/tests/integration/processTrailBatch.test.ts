import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Alert } from '@firstseen/core';
import { processKinesisBatch } from '@firstseen/detector';
import { createBucket, type LocalEmulators, startLocalEmulators } from '@firstseen/local-stack';
// The detector's own test helpers (records, Kinesis events, detectors on the local emulators):
// the trail feed must behave as the detector does, so its tests build the same things.
import {
  cloudTrailRecord,
  eventBridgeEnvelope,
  inMemoryDetector,
  kinesisEvent,
  type LocalDetector,
  lastMetrics,
  listQuarantine,
  localDetector,
  rootStopLogging,
  s3rverClient,
  scanAlerts,
} from '@firstseen/test-support';
import { trailReaderDeps } from '../../src/createTrailReader';
import { processTrailBatch } from '../../src/processTrailBatch';
import type { TrailReaderDeps } from '../../src/types';
import { putTrailFile, s3NotificationBody, sqsEvent, trailKey } from '../helpers/trailFiles';

const ACTIONS = ['CreateUser', 'ListUsers', 'GetRole', 'TagRole', 'ListRoles'];

function records(n: number, prefix: string): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) =>
    cloudTrailRecord({
      eventId: `${prefix}-${i}`,
      role: `${prefix}-role-${i % 3}`,
      eventName: ACTIONS[i % ACTIONS.length],
      eventTime: `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}Z`,
    }),
  );
}

/** The alerts the in-memory engine gives for these records seen once (the reference). */
async function referenceAlerts(rs: object[]): Promise<Omit<Alert, 'context'>[]> {
  const ref = inMemoryDetector();
  await processKinesisBatch(kinesisEvent(rs), ref.deps);
  return withoutContext([...ref.outbox.alerts.values()]);
}

/** Alerts without `context` (explanations depend on interleaving), sorted by alertId. */
function withoutContext(alerts: Alert[]): Omit<Alert, 'context'>[] {
  return alerts.map(({ context: _c, ...rest }) => rest).sort((a, b) => a.alertId.localeCompare(b.alertId));
}

let emulators: LocalEmulators;

beforeAll(async () => {
  emulators = await startLocalEmulators({ dynamodb: true, s3: true, kinesis: false });
}, 120_000);

afterAll(async () => {
  await emulators?.stop();
});

/** A detector on fresh tables, a trail reader around another instance of it, and a trail bucket. */
async function setup(): Promise<{
  d: LocalDetector;
  r: LocalDetector;
  reader: TrailReaderDeps;
  trail: string;
}> {
  const d = await localDetector(emulators);
  const trail = `t${randomUUID().slice(0, 8)}-trail`;
  await createBucket(s3rverClient(emulators), trail);
  const r = d.fresh();
  return { d, r, reader: trailReaderDeps(r, d.bucket), trail };
}

async function alertsOf(d: LocalDetector): Promise<Omit<Alert, 'context'>[]> {
  return withoutContext(await scanAlerts(emulators.clients.dynamodb!, d.tables.alerts));
}

describe('processTrailBatch() against DynamoDB Local and s3rver', () => {
  it('alerts once for events seen through Kinesis and again in their log file', async () => {
    const { d, r, reader, trail } = await setup();
    const rs = records(30, 'both');
    const key = trailKey('111122223333', 'us-east-1', '20240501T1205Z', 'both');
    await putTrailFile(d.s3, trail, key, rs);

    const k = await processKinesisBatch(
      kinesisEvent(rs.map((r, i) => (i % 2 ? r : eventBridgeEnvelope(r)))),
      d.deps,
    );
    const t = await processTrailBatch(sqsEvent([s3NotificationBody(trail, key)]), reader);

    expect([k.batchItemFailures, t.batchItemFailures]).toEqual([[], []]);
    const expected = await referenceAlerts(rs);
    expect(expected.length).toBeGreaterThan(3);
    expect(await alertsOf(d)).toEqual(expected);
    expect(t.counts).toMatchObject({ files: 1, records: 30, failed: 0 });
    // The trail side found every alert already written: it cost requests, wrote nothing.
    expect(lastMetrics(r)).toMatchObject({ alerts: 0, duplicateAlerts: expected.length });
  });

  it('alerts from the file for an event the Kinesis path never delivered', async () => {
    const { d, reader, trail } = await setup();
    const rs = [...records(12, 'gap'), rootStopLogging('gap-root')];
    const key = trailKey('111122223333', 'us-east-1', '20240501T1210Z', 'gap');
    await putTrailFile(d.s3, trail, key, rs);

    await processKinesisBatch(kinesisEvent(rs.slice(0, -1)), d.deps);
    const before = await alertsOf(d);
    const t = await processTrailBatch(sqsEvent([s3NotificationBody(trail, key)]), reader);

    expect(t.batchItemFailures).toEqual([]);
    expect(before.some((a) => a.eventId === 'gap-root')).toBe(false);
    const after = await alertsOf(d);
    expect(after).toEqual(await referenceAlerts(rs));
    expect(after.filter((a) => a.eventId === 'gap-root')).toHaveLength(1);
  });

  it('costs requests but writes no second alert when a file is delivered twice', async () => {
    const { d, reader, trail } = await setup();
    const rs = records(20, 'twice');
    const key = trailKey('111122223333', 'eu-west-1', '20240501T1215Z', 'twice');
    await putTrailFile(d.s3, trail, key, rs);
    const body = s3NotificationBody(trail, key);

    // Twice in one batch (S3 and SNS are at-least-once), then again in a later batch.
    const first = await processTrailBatch(sqsEvent([body, body]), reader);
    const afterFirst = await alertsOf(d);
    const cold = d.fresh();
    const second = await processTrailBatch(sqsEvent([body]), trailReaderDeps(cold, d.bucket));

    expect([first.batchItemFailures, second.batchItemFailures]).toEqual([[], []]);
    expect(afterFirst).toEqual(await referenceAlerts(rs));
    expect(await alertsOf(d)).toEqual(afterFirst);
    expect(lastMetrics(cold)).toMatchObject({ alerts: 0, duplicateAlerts: afterFirst.length });
    expect(lastMetrics(cold).dynamodbRequests).toBeGreaterThan(0);
  });

  it('quarantines a truncated file with its key, skips digest files, and still reads the rest of the batch', async () => {
    const { d, reader, trail } = await setup();
    const good = trailKey('111122223333', 'us-east-1', '20240501T1220Z', 'good');
    const truncated = trailKey('111122223333', 'us-east-1', '20240501T1220Z', 'cut');
    const digest =
      'AWSLogs/o-abc123/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/111122223333_CloudTrail-Digest_us-east-1_org_us-east-1_20240501T1220Z.json.gz';
    await putTrailFile(d.s3, trail, good, [rootStopLogging('ok-root')]);
    const whole = gzipSync(JSON.stringify({ Records: records(5, 'cut') }));
    await d.s3.send(
      new PutObjectCommand({ Bucket: trail, Key: truncated, Body: whole.subarray(0, whole.length - 10) }),
    );
    await d.s3.send(new PutObjectCommand({ Bucket: trail, Key: digest, Body: gzipSync('{}') }));

    const t = await processTrailBatch(
      sqsEvent([
        s3NotificationBody(trail, truncated),
        s3NotificationBody(trail, good),
        s3NotificationBody(trail, digest),
        'hello',
      ]),
      reader,
    );

    expect(t.batchItemFailures).toEqual([]);
    expect(t.counts).toMatchObject({ files: 1, skipped: 1, badFiles: 2 });
    expect((await alertsOf(d)).map((a) => a.eventId)).toEqual(['ok-root']);
    const q = await listQuarantine(d.s3, d.bucket);
    expect(q.map((o) => o.key)).toEqual([
      expect.stringMatching(/^quarantine\/trail\/messages\/m-\d+\.json$/),
      `quarantine/trail/${trail}/${truncated}.json`,
    ]);
    expect(q[0]!.body).toMatchObject({ reason: 'bad-notification' });
    expect(q[1]!.body).toMatchObject({ reason: 'bad-gzip', bucket: trail, key: truncated });
  });

  it('reports only the message whose file cannot be read yet, and its redelivery alerts once', async () => {
    const { d, reader, trail } = await setup();
    const ok = trailKey('111122223333', 'us-east-1', '20240501T1225Z', 'ok');
    const late = trailKey('111122223333', 'us-east-1', '20240501T1225Z', 'late');
    await putTrailFile(d.s3, trail, ok, records(6, 'ok'));
    await putTrailFile(d.s3, trail, late, [rootStopLogging('late-root')]);
    const lateBody = s3NotificationBody(`${trail}-missing`, late); // NoSuchBucket: a deployment failure, retried
    const event = sqsEvent([s3NotificationBody(trail, ok), lateBody]);

    const first = await processTrailBatch(event, reader);

    expect(first.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]!.messageId }]);
    expect((await alertsOf(d)).some((a) => a.eventId === 'late-root')).toBe(false);
    const again = await processTrailBatch(
      sqsEvent([s3NotificationBody(trail, late), s3NotificationBody(trail, ok)]),
      reader,
    );
    expect(again.batchItemFailures).toEqual([]);
    expect((await alertsOf(d)).filter((a) => a.eventId === 'late-root')).toHaveLength(1);
  });
});

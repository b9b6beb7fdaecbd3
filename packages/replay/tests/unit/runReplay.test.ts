import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig, toEventBridgeEnvelope } from '@firstseen/core';
import { createOrganization, generateEvents, writeCloudTrailS3Layout } from '@firstseen/generator';
import { LocalObjectSource, type ObjectSource, runReplay, simulateSink } from '../../src';

const config = parseConfig({});
let dir: string;
let files: number;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'replay-unit-'));
  const records = generateEvents(createOrganization({ seed: 'replay-unit' }), {
    start: Date.UTC(2025, 0, 6),
    days: 1,
    eventsPerDay: 3_000,
  });
  files = writeCloudTrailS3Layout(records, { dir, seed: 'replay-unit' }).files;
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The same directory without `readSync`: objects are prefetched through promises. */
function asyncOnly(source: LocalObjectSource): ObjectSource {
  return { description: source.description, list: () => source.list(), read: (o) => source.read(o) };
}

describe('runReplay() over a local directory', () => {
  it('reads the files synchronously with the same summary as the prefetching path', async () => {
    expect(files).toBeGreaterThan(64);
    const local = new LocalObjectSource(dir);
    const sync = await runReplay({ config }, { source: local, sink: simulateSink({ config }) });
    const prefetched = await runReplay(
      { config, concurrency: 8 },
      { source: asyncOnly(local), sink: simulateSink({ config }) },
    );
    expect(sync.files).toBe(files);
    expect(sync.observed).toBeGreaterThan(0);
    expect(sync).toEqual(prefetched);
  });

  it('returns to the event loop during the run, so timers fire before it ends', async () => {
    let objectsWhenImmediateRan: number | undefined;
    let finishedObjects = 0;
    await runReplay(
      { config },
      {
        source: new LocalObjectSource(dir),
        sink: simulateSink({ config }),
        afterObject: (finished) => {
          finishedObjects = finished;
          if (finished === 1) {
            setImmediate(() => {
              objectsWhenImmediateRan = finishedObjects;
            });
          }
        },
      },
    );
    expect(objectsWhenImmediateRan).toBeDefined();
    expect(objectsWhenImmediateRan!).toBeLessThan(files);
  });
});

describe('runReplay() over EventBridge envelopes', () => {
  it('ignores a forged envelope (untrusted-source) exactly as the detector does, and learns only from the real one', async () => {
    const envelopesDir = mkdtempSync(join(tmpdir(), 'replay-envelopes-'));
    try {
      const record = (eventID: string) => ({
        eventVersion: '1.08',
        userIdentity: {
          type: 'Root',
          principalId: '111122223333',
          arn: 'arn:aws:iam::111122223333:root',
          accountId: '111122223333',
        },
        eventTime: '2025-01-06T10:00:00Z',
        eventSource: 'cloudtrail.amazonaws.com',
        eventName: 'StopLogging',
        awsRegion: 'us-east-1',
        eventID,
        recipientAccountId: '111122223333',
      });
      const forged = { ...toEventBridgeEnvelope(record('forged')), source: 'custom.cloudtrail' };
      const real = toEventBridgeEnvelope(record('real'));
      writeFileSync(
        join(envelopesDir, 'events.ndjson'),
        `${JSON.stringify(forged)}\n${JSON.stringify(real)}\n`,
      );

      const summary = await runReplay(
        { config },
        { source: new LocalObjectSource(envelopesDir), sink: simulateSink({ config }) },
      );

      expect(summary).toMatchObject({
        records: 2,
        observed: 1,
        ignored: 1,
        ignoredReasons: { 'untrusted-source': 1 },
        alerts: 1,
      });
    } finally {
      rmSync(envelopesDir, { recursive: true, force: true });
    }
  });
});

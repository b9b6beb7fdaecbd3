import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '@firstseen/core';
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

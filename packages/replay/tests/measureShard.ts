// Measures replay-shard's seed throughput locally (README "Seeding on AWS"):
// `npx tsx packages/replay/tests/measureShard.ts [events] [memory] [objects per batch]`.
// Generated CloudTrail in s3rver, the baseline in DynamoDB Local (or in memory with `memory`);
// every object, in listing order, through seedObjects in batches of 50 (the state machine's
// default), one after another into the same baseline, as the distributed map runs them: each
// batch writes every key it sees, so the writes per event depend on the batch size.
import { paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { createOrganization, generateEvents } from '@firstseen/generator';
import { createBucket, createTables, startLocalEmulators } from '@firstseen/local-stack';
import { seedObjects, WriteRateGuard } from '../src';
import { s3rverClient, toLogFiles, uploadFiles } from './helpers/generatedOrg';

async function main(): Promise<void> {
  const events = Number(process.argv[2] ?? 200_000);
  const days = 30;
  const emulators = await startLocalEmulators();
  try {
    const s3 = s3rverClient(emulators.endpoints.s3!);
    await createBucket(s3, 'measure');
    const org = createOrganization({ seed: 'measure', accounts: 6 });
    const start = Date.UTC(2024, 0, 1);
    const records = [...generateEvents(org, { start, days, eventsPerDay: Math.ceil(events / days) })];
    const files = toLogFiles(records, 'AWSLogs/');
    await uploadFiles(s3, 'measure', files);
    const items: { Key: string; Size: number }[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: 'measure' })) {
      for (const c of page.Contents ?? []) items.push({ Key: c.Key!, Size: c.Size! });
    }
    const perBatch = Number(process.argv[4] ?? 50);
    const t = await createTables(emulators.clients.dynamodb!, 'measure');
    // `memory`: the same run without DynamoDB, to separate reading and detecting from writing.
    // A guard with no practical limit, only to count the write units every request is charged
    // (a key an earlier batch wrote costs a failed conditional put and the merge's update).
    const guard = new WriteRateGuard({ writesPerSecond: 1e9 });
    const target =
      process.argv[3] === 'memory'
        ? new InMemoryBaselineStore()
        : new DynamoBaselineStore({
            client: emulators.clients.dynamodb!,
            tableName: t.baseline.tableName,
            writePacer: guard,
          });
    const config = parseConfig({});
    const t0 = performance.now();
    const summary = { files: 0, events: 0, keysWritten: 0, principalsWritten: 0, batches: 0 };
    for (let i = 0; i < items.length; i += perBatch) {
      const shard = await seedObjects(
        { Items: items.slice(i, i + perBatch), BatchInput: { bucket: 'measure' } },
        { config, s3, target },
      );
      summary.files += shard.files;
      summary.events += shard.events;
      summary.keysWritten += shard.keysWritten;
      summary.principalsWritten += shard.principalsWritten;
      summary.batches++;
    }
    const seconds = (performance.now() - t0) / 1000;
    const bytes = items.reduce((n, i) => n + i.Size, 0);
    process.stdout.write(
      `${JSON.stringify({
        objects: summary.files,
        batches: summary.batches,
        events: summary.events,
        keysWritten: summary.keysWritten,
        principalsWritten: summary.principalsWritten,
        gzipBytes: bytes,
        seconds: Number(seconds.toFixed(2)),
        eventsPerSecond: Math.round(summary.events / seconds),
        keysPerEvent: Number(((summary.keysWritten + summary.principalsWritten) / summary.events).toFixed(4)),
        ...(process.argv[3] !== 'memory' && {
          writeUnits: guard.charged,
          writeUnitsPerEvent: Number((guard.charged / summary.events).toFixed(4)),
        }),
      })}\n`,
    );
  } finally {
    await emulators.stop();
  }
}

void main();

// Measures one replay-shard invocation's seed throughput locally (README "Seeding on AWS"):
// `npx tsx packages/replay/tests/measureShard.ts [events] [memory]`. Generated CloudTrail in
// s3rver, the baseline in DynamoDB Local; one batch of every object through seedObjects.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { createOrganization, generateEvents } from '@firstseen/generator';
import { createBucket, createTables, startLocalEmulators } from '@firstseen/local-stack';
import { seedObjects } from '../src';
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
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'measure', MaxKeys: 1000 }));
    const items = (listed.Contents ?? []).map((c) => ({ Key: c.Key!, Size: c.Size! }));
    const t = await createTables(emulators.clients.dynamodb!, 'measure');
    // `memory`: the same run without DynamoDB, to separate reading and detecting from writing.
    const target =
      process.argv[3] === 'memory'
        ? new InMemoryBaselineStore()
        : new DynamoBaselineStore({ client: emulators.clients.dynamodb!, tableName: t.baseline.tableName });
    const config = parseConfig({});
    const t0 = performance.now();
    const summary = await seedObjects(
      { Items: items, BatchInput: { bucket: 'measure' } },
      { config, s3, target },
    );
    const seconds = (performance.now() - t0) / 1000;
    const bytes = items.reduce((n, i) => n + i.Size, 0);
    process.stdout.write(
      `${JSON.stringify({
        objects: summary.files,
        events: summary.events,
        keysWritten: summary.keysWritten,
        principalsWritten: summary.principalsWritten,
        gzipBytes: bytes,
        seconds: Number(seconds.toFixed(2)),
        eventsPerSecond: Math.round(summary.events / seconds),
        keysPerEvent: Number(((summary.keysWritten + summary.principalsWritten) / summary.events).toFixed(4)),
      })}\n`,
    );
  } finally {
    await emulators.stop();
  }
}

void main();

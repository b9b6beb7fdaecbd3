import { ScanCommand } from '@aws-sdk/client-dynamodb';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  type ListObjectsV2CommandOutput,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { parseConfig } from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { cloudTrailObjectKey } from '@firstseen/generator';
import { createBucket, createTables, type LocalEmulators, startLocalEmulators } from '@firstseen/local-stack';
import { StateMachine } from 'aws-local-stepfunctions';
import {
  parseShardInput,
  replayStateMachineDefinition,
  runReplay,
  type ShardSummary,
  seedObjects,
  seedSink,
  WriteRateGuard,
} from '../../src';
import { keyMayMatch, parseObjectKey } from '../../src/objectKeys';
import { type ListingProgress, RangeManifestError, writeRangeManifest } from '../../src/shard/rangeManifest';
import { mergeShardSummaries } from '../../src/shard/seedObjects';
import { SEED_MAP_STATE, SEED_TASK_STATE, type SeedExecutionInput } from '../../src/shard/stateMachine';
import { isReplayableS3Key, S3ObjectSource } from '../../src/sources';
import { DAY, generateHistory, HISTORY_START, s3rverClient, uploadFiles } from '../helpers/generatedOrg';

// The replay's state machine executed locally (aws-local-stepfunctions), its shard task bound to
// the replay-shard function's code against DynamoDB Local and s3rver. The range's manifest is
// written by the command line's own code (writeRangeManifest) into s3rver. aws-local-stepfunctions
// runs Map states INLINE and has no ItemReader, ItemBatcher or ResultWriter: the test does their
// part as AWS documents it (GetObject of the JSON Lines manifest the ItemReader's Parameters name,
// each line reduced by the ItemSelector to Key and Size, batches of MaxItemsPerBatch with the
// BatchInput of the execution input) and hands the batches to the same Map, its processor and
// Retry unchanged. The ASL itself is validated with asl-validator in tests/unit/stateMachine.test.ts.
const BUCKET = 'replay-on-aws';
const RESULTS = 'replay-results';

// aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22); the repository runs on Node 20.
const P = Promise as unknown as { withResolvers?: () => unknown };
P.withResolvers ??= () => {
  let resolve: unknown;
  let reject: unknown;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};
let emulators: LocalEmulators;
let s3: ReturnType<typeof s3rverClient>;

beforeAll(async () => {
  emulators = await startLocalEmulators();
  s3 = s3rverClient(emulators.endpoints.s3!);
  await createBucket(s3, BUCKET);
  await createBucket(s3, RESULTS);
  await uploadFiles(s3, BUCKET, generateHistory().history);
}, 120_000);

afterAll(async () => {
  s3?.destroy();
  await emulators?.stop();
});

async function freshBaseline(
  guard?: WriteRateGuard,
): Promise<{ store: DynamoBaselineStore; table: string; guard?: WriteRateGuard }> {
  const t = await createTables(emulators.clients.dynamodb!, `t${Math.random().toString(36).slice(2, 8)}`);
  const table = t.baseline.tableName;
  const store = new DynamoBaselineStore({
    client: emulators.clients.dynamodb!,
    tableName: table,
    ...(guard && { writePacer: guard }),
  });
  return { store, table, ...(guard && { guard }) };
}

async function scanTable(table: string): Promise<Map<string, Record<string, unknown>>> {
  const items = new Map<string, Record<string, unknown>>();
  let start: Record<string, never> | undefined;
  do {
    const page = await emulators.clients.dynamodb!.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) {
      const v = unmarshall(item);
      items.set(v.pk as string, v);
    }
    start = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (start);
  return items;
}

/** A batch as the ItemBatcher builds it (BatchInput: the execution input's fields, nulls included). */
interface Batch {
  Items: { Key: string; Size: number }[];
  BatchInput: Omit<SeedExecutionInput, 'prefix' | 'manifest'>;
}

type JSONValue = Parameters<StateMachine['run']>[0];

type MapState = Record<string, unknown> & {
  ItemReader: { Resource: string; ReaderConfig: { InputType: string }; Parameters: Record<string, string> };
  ItemBatcher: { MaxItemsPerBatch: number };
};

/** A JSONPath of the form `$.a.b` against the execution input (what the ItemReader's `.$` fields use). */
const at = (input: unknown, path: string): unknown =>
  path
    .replace(/^\$\./, '')
    .split('.')
    .reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], input);

/** Every object under the prefix (to show which ones the map never hands over). */
async function listAll(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await s3.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    for (const c of page.Contents ?? []) keys.push(c.Key!);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/** What the distributed map's ItemReader (JSONL file), ItemSelector and ItemBatcher hand to the children. */
async function batchesAsAwsWould(
  definition: Record<string, unknown>,
  input: SeedExecutionInput,
): Promise<Batch[]> {
  const map = (definition.States as Record<string, MapState>)[SEED_MAP_STATE]!;
  expect(map.ItemReader.Resource).toBe('arn:aws:states:::s3:getObject');
  expect(map.ItemReader.ReaderConfig.InputType).toBe('JSONL');
  const got = await s3.send(
    new GetObjectCommand({
      Bucket: at(input, map.ItemReader.Parameters['Bucket.$']!) as string,
      Key: at(input, map.ItemReader.Parameters['Key.$']!) as string,
    }),
  );
  const items = (await got.Body!.transformToString())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const v = JSON.parse(line) as { Key: string; Size: number };
      return { Key: v.Key, Size: v.Size };
    });
  const per = map.ItemBatcher.MaxItemsPerBatch;
  const { prefix: _p, manifest: _m, ...batchInput } = input;
  const batches: Batch[] = [];
  for (let i = 0; i < items.length; i += per)
    batches.push({ Items: items.slice(i, i + per), BatchInput: batchInput });
  return batches;
}

/** The same definition with the batches as the Map's items (INLINE: what the local runner can run). */
function inlineEquivalent(definition: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(definition) as { States: Record<string, Record<string, unknown>> };
  const {
    ItemReader: _r,
    ItemBatcher: _b,
    ItemSelector: _s,
    ResultWriter: _w,
    Label: _l,
    ToleratedFailurePercentage: _t,
    ...map
  } = copy.States[SEED_MAP_STATE]!;
  const processor = map.ItemProcessor as Record<string, unknown>;
  copy.States[SEED_MAP_STATE] = {
    ...map,
    ItemsPath: '$.batches',
    ItemProcessor: { ...processor, ProcessorConfig: { Mode: 'INLINE' } },
  };
  return copy;
}

describe('replay seed on AWS (the state machine, executed locally)', () => {
  const config = parseConfig({ burnInDays: 7 });
  const range = { from: HISTORY_START + 3 * DAY, to: HISTORY_START + 9 * DAY };

  it('hands the shards only the objects of the range, and leaves the baseline a sequential seed of the same objects and range leaves, even with a batch retried and the run repeated', async () => {
    const sequential = await freshBaseline();
    const reference = await runReplay(
      { config, filters: range },
      {
        source: new S3ObjectSource(s3, BUCKET, 'history/'),
        sink: seedSink({ config, target: sequential.store }),
      },
    );
    expect(reference.observed).toBeGreaterThan(200);

    const sharded = await freshBaseline(new WriteRateGuard({ writesPerSecond: 2000 }));
    const definition = replayStateMachineDefinition({
      shardFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:firstseen-replay-shard',
      resultBucket: 'results',
      maxItemsPerBatch: 4,
      maxConcurrency: 3,
    });
    // What `--on aws` does before it starts the execution: list the prefix, write the range's objects.
    const listing: ListingProgress[] = [];
    const manifest = await writeRangeManifest(
      {
        bucket: BUCKET,
        prefix: 'history/',
        filters: range,
        manifestBucket: RESULTS,
        manifestKey: 'replay-manifests/seed-1.jsonl',
      },
      { s3, onProgress: (p) => listing.push(p) },
    );
    const all = await listAll('history/');
    const outside = all.filter((k) => !keyMayMatch(parseObjectKey(k), range));
    expect(outside.length).toBeGreaterThan(10); // the bucket holds objects outside the range
    expect(manifest.listed).toBe(all.length);
    expect(manifest.objects).toBe(all.length - outside.length);
    expect(listing.at(-1)).toMatchObject({ done: true, listed: all.length, inRange: manifest.objects });

    const input: SeedExecutionInput = {
      bucket: BUCKET,
      prefix: 'history/',
      manifest: { bucket: manifest.bucket, key: manifest.key },
      from: range.from,
      to: range.to,
      accounts: null,
      regions: null,
    };
    const batches = await batchesAsAwsWould(definition, input);
    expect(batches.length).toBe(Math.ceil(manifest.objects / 4));
    expect(batches.length).toBeGreaterThan(3);

    // The first attempt of the second batch fails after seeding part of it: the Retry re-runs it.
    let failOnce = true;
    const handed: string[] = [];
    let invocations = 0;
    const shard = async (payload: unknown): Promise<ShardSummary> => {
      const batch = parseShardInput(payload);
      invocations++;
      handed.push(...batch.Items.map((i) => i.Key));
      const summary = await seedObjects(batch, { config, s3, target: sharded.store, guard: sharded.guard! });
      if (failOnce && batch.Items[0]!.Key === batches[1]!.Items[0]!.Key) {
        failOnce = false;
        const err = new Error('Rate exceeded');
        err.name = 'Lambda.TooManyRequestsException';
        throw err;
      }
      return summary;
    };
    const machine = new StateMachine(
      inlineEquivalent(definition) as unknown as ConstructorParameters<typeof StateMachine>[0],
      {
        validationOptions: { checkArn: false },
      },
    );
    const run = async () =>
      (await machine.run({ batches } as unknown as Parameters<StateMachine['run']>[0], {
        overrides: {
          // lambda:invoke hands the function Parameters.Payload and returns {Payload: result}.
          taskResourceLocalHandlers: {
            [SEED_TASK_STATE]: async (i) => ({
              Payload: (await shard((i as { Payload: unknown }).Payload)) as unknown as JSONValue,
            }),
          },
          retryIntervalOverrides: { [SEED_TASK_STATE]: 0 },
        },
      }).result) as unknown as ShardSummary[];

    const merged = mergeShardSummaries(await run());
    expect(failOnce).toBe(false);
    expect(merged.events).toBe(reference.observed);
    expect(merged.records).toBe(reference.records);
    // No object outside the range reached a shard: one invocation per batch of the range (+1 retry).
    expect(merged.skipped).toBe(0);
    expect(invocations).toBe(batches.length + 1);
    expect(handed.filter((k) => outside.includes(k))).toEqual([]);
    expect(new Set(handed).size).toBe(manifest.objects);
    expect(merged.errors).toEqual([]);
    expect(merged.firstEventTime).toBe(reference.firstEventTime);
    expect(merged.lastEventTime).toBe(reference.lastEventTime);

    const expected = await scanTable(sequential.table);
    expect(expected.size).toBeGreaterThan(100);
    expect(await scanTable(sharded.table)).toEqual(expected);

    // Re-running the same range is harmless.
    await run();
    expect(await scanTable(sharded.table)).toEqual(expected);
  }, 240_000);
});

describe("the range's manifest (what --on aws lists before it starts)", () => {
  const range = { from: HISTORY_START + 3 * DAY, to: HISTORY_START + 9 * DAY };
  const options = (over: object = {}) => ({
    bucket: BUCKET,
    prefix: 'history/',
    filters: range,
    manifestBucket: RESULTS,
    manifestKey: 'replay-manifests/checks.jsonl',
    ...over,
  });

  it('writes one JSON line per object the replay reads in the range, and keeps account and region filters', async () => {
    const all = (await listAll('history/')).filter(isReplayableS3Key);
    const account = parseObjectKey(all[0]!).account!;
    const m = await writeRangeManifest(options({ filters: { ...range, accounts: [account] } }), { s3 });
    const got = await s3.send(new GetObjectCommand({ Bucket: RESULTS, Key: m.key }));
    const lines = (await got.Body!.transformToString()).trimEnd().split('\n');
    const keys = lines.map((l) => (JSON.parse(l) as { Key: string }).Key);
    expect(keys.sort()).toEqual(
      all
        .filter((k) => parseObjectKey(k).account === account && keyMayMatch(parseObjectKey(k), range))
        .sort(),
    );
    expect(m.objects).toBe(keys.length);
    expect(lines.every((l) => typeof (JSON.parse(l) as { Size: unknown }).Size === 'number')).toBe(true);
  });

  it('lists only the day folders of the range in each account and region (StartAfter jumps), the accounts at once, and keeps every object of the range', async () => {
    // Two accounts' region folders of 400 daily deliveries each (empty objects: only listed here), a 10-day range.
    const start = Date.UTC(2023, 0, 1);
    const keys: string[] = [];
    for (const account of ['111122223333', '555566667777'])
      for (let d = 0; d < 400; d++)
        keys.push(`years/${cloudTrailObjectKey(account, 'eu-west-1', start + d * DAY, 'x')}`);
    for (let i = 0; i < keys.length; i += 32)
      await Promise.all(
        keys.slice(i, i + 32).map((Key) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: '' }))),
      );
    const narrow = { from: start + 300 * DAY, to: start + 310 * DAY };
    // s3rver 3.7.1 cannot answer a truncated ListObjectsV2 page on Node 20 (it encrypts the
    // continuation token with DES, which OpenSSL 3 lacks): its own listing after StartAfter, in
    // its own key order, is cut to MaxKeys here as S3 cuts a page, and each request is counted.
    const calls: { StartAfter?: string }[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const counting = {
      send: async (command: ListObjectsV2Command) => {
        if (!(command instanceof ListObjectsV2Command)) return s3.send(command); // the manifest's PutObject
        calls.push(command.input);
        const { MaxKeys, ...input } = command.input;
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        const out = await s3.send(new ListObjectsV2Command(input)).finally(() => inFlight--);
        const contents = out.Contents ?? [];
        return { ...out, Contents: contents.slice(0, MaxKeys), IsTruncated: contents.length > MaxKeys! };
      },
    } as unknown as typeof s3;
    // A clock that moves 5 s a reading: a progress report after every page, then the last one.
    let now = 0;
    const progress: ListingProgress[] = [];
    const m = await writeRangeManifest(options({ prefix: 'years/AWSLogs/', filters: narrow, pageSize: 20 }), {
      s3: counting,
      clock: () => (now += 5000),
      onProgress: (p) => progress.push(p),
    });
    expect(progress.filter((p) => !p.done).map((p) => p.pages)).toEqual(
      Array.from({ length: calls.length }, (_, i) => i + 1),
    );
    expect(progress.at(-1)).toMatchObject({ done: true, listed: m.listed, inRange: 24 });
    const got = await s3.send(new GetObjectCommand({ Bucket: RESULTS, Key: m.key }));
    const listedKeys = (await got.Body!.transformToString())
      .trimEnd()
      .split('\n')
      .map((l) => (JSON.parse(l) as { Key: string }).Key);
    const expected = keys.filter((k) => keyMayMatch(parseObjectKey(k), narrow));
    expect(expected.length).toBe(2 * 12); // days 299..310: the range widened as keyMayMatch does
    expect(listedKeys.sort()).toEqual(expected.sort());
    // A flat listing: 800 keys in 40 pages. Here: 10 slices by the account ID's first digit, at
    // once; in each account's region folder its first page, a jump to the range, a jump past it.
    expect(mostInFlight).toBeGreaterThan(1);
    expect(m.listed).toBeLessThan(200);
    expect(calls.length).toBeLessThan(25);
    expect(calls.some((c) => c.StartAfter?.endsWith('~'))).toBe(true);
  }, 60_000);

  it('refuses, before anything starts, a range with no object and a manifest past the size limit', async () => {
    const future = { from: Date.now() + 400 * DAY, to: Date.now() + 401 * DAY };
    await expect(writeRangeManifest(options({ filters: future }), { s3 })).rejects.toThrow(
      /no trail object in the range \(\d+ objects listed\)/,
    );
    await expect(writeRangeManifest(options({ maxBytes: 500 }), { s3 })).rejects.toThrow(RangeManifestError);
    await expect(writeRangeManifest(options({ maxBytes: 500 }), { s3 })).rejects.toThrow(
      /split it with --from\/--to/,
    );
  });
});

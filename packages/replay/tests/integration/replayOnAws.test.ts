import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { parseConfig } from '@firstseen/core';
import { DynamoBaselineStore } from '@firstseen/dynamodb-store';
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
import { mergeShardSummaries } from '../../src/shard/seedObjects';
import { SEED_MAP_STATE, SEED_TASK_STATE, type SeedExecutionInput } from '../../src/shard/stateMachine';
import { S3ObjectSource } from '../../src/sources';
import { DAY, generateHistory, HISTORY_START, s3rverClient, uploadFiles } from '../helpers/generatedOrg';

// The replay's state machine executed locally (aws-local-stepfunctions), its shard task bound to
// the replay-shard function's code against DynamoDB Local and s3rver. aws-local-stepfunctions
// runs Map states INLINE and has no ItemReader, ItemBatcher or ResultWriter: the test does their
// part as AWS documents it (ListObjectsV2 of the prefix, each item reduced by the ItemSelector to
// Key and Size, batches of MaxItemsPerBatch with the BatchInput of the execution input) and hands
// the batches to the same Map, its processor and Retry unchanged. The ASL itself is validated
// with asl-validator in tests/unit/stateMachine.test.ts.
const BUCKET = 'replay-on-aws';

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
  BatchInput: Omit<SeedExecutionInput, 'prefix'>;
}

type JSONValue = Parameters<StateMachine['run']>[0];

type MapState = Record<string, unknown> & { ItemBatcher: { MaxItemsPerBatch: number } };

/** What the distributed map's ItemReader, ItemSelector and ItemBatcher hand to the children. */
async function batchesAsAwsWould(
  definition: Record<string, unknown>,
  input: SeedExecutionInput,
): Promise<Batch[]> {
  const map = (definition.States as Record<string, MapState>)[SEED_MAP_STATE]!;
  const items: { Key: string; Size: number }[] = [];
  let token: string | undefined;
  do {
    const page: ListObjectsV2CommandOutput = await s3.send(
      new ListObjectsV2Command({
        Bucket: input.bucket,
        Prefix: input.prefix,
        ContinuationToken: token,
      }),
    );
    for (const c of page.Contents ?? []) items.push({ Key: c.Key!, Size: c.Size! });
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  const per = map.ItemBatcher.MaxItemsPerBatch;
  const { prefix: _p, ...batchInput } = input;
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

  it('leaves the baseline a sequential seed of the same objects and range leaves, even with a batch retried and the run repeated', async () => {
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
    const input: SeedExecutionInput = {
      bucket: BUCKET,
      prefix: 'history/',
      from: range.from,
      to: range.to,
      accounts: null,
      regions: null,
    };
    const batches = await batchesAsAwsWould(definition, input);
    expect(batches.length).toBeGreaterThan(3);

    // The first attempt of the second batch fails after seeding part of it: the Retry re-runs it.
    let failOnce = true;
    const shard = async (payload: unknown): Promise<ShardSummary> => {
      const batch = parseShardInput(payload);
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
    expect(merged.skipped).toBeGreaterThan(0); // objects outside the range by their key: not read
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

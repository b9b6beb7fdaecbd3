import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  type CreatedTables,
  createBucket,
  createDynamoDbClient,
  createDynamoDbStreamsClient,
  createTables,
  type Receiver,
  type SlackReceiver,
  startLocalEmulators,
  startPagerDutyReceiver,
  startSlackReceiver,
} from '@firstseen/local-stack';
import type { Cleanups } from './Cleanups';
import { CHAOS_SLACK_BOT_TOKEN } from './chaosConfig';
import { ReceiverGate } from './faults/ReceiverGate';
import { RestartableDynamoDbLocal } from './faults/RestartableDynamoDbLocal';
import { sleep } from './sleep';

const PREFIX = 'firstseen-chaos';
const ROUTING_KEY = 'chaos-routing-key-0123456789abcdef';

/** The local stack a chaos run drives, and the names the pipeline is configured with. */
export interface ChaosStack {
  /** Restarted by the fault schedule. */
  dynamo: RestartableDynamoDbLocal;
  kinesis: KinesisClient;
  s3: S3Client;
  s3Endpoint: string;
  /** Clients of the run itself (tables, the outbox scan), not of a crashable process. */
  admin: DynamoDBClient;
  streams: ReturnType<typeof createDynamoDbStreamsClient>;
  tables: CreatedTables;
  streamName: string;
  quarantineBucket: string;
  failuresBucket: string;
  slack: SlackReceiver;
  pagerDuty: Receiver;
  slackGate: ReceiverGate;
  pagerDutyGate: ReceiverGate;
  /** The secrets the dispatcher resolves: Slack's webhook (through its gate) or bot token, and the routing key. */
  secrets: Map<string, string>;
}

/**
 * DynamoDB Local on disk (it is restarted), kinesalite, s3rver, the tables, stream and buckets;
 * receivers behind gates. Everything started is registered with `cleanups` as it starts.
 */
export async function startChaosStack(cleanups: Cleanups, options: { shards: number }): Promise<ChaosStack> {
  const dbPath = await mkdtemp(join(tmpdir(), 'firstseen-chaos-'));
  cleanups.add(async () => rm(dbPath, { recursive: true, force: true }));
  const dynamo = await RestartableDynamoDbLocal.start(dbPath);
  cleanups.add(() => dynamo.stop());
  const emulators = await startLocalEmulators({ dynamodb: false });
  cleanups.add(() => emulators.stop());
  const kinesis = emulators.clients.kinesis!;
  const s3 = emulators.clients.s3!;
  const s3Endpoint = emulators.endpoints.s3!;
  const admin = createDynamoDbClient(dynamo.endpoint);
  const streams = createDynamoDbStreamsClient(dynamo.endpoint);
  cleanups.add(async () => {
    admin.destroy();
    streams.destroy();
  });
  // TTL off: DynamoDB Local's sweeper deletes items whose expiresAt is behind the wall clock,
  // and this scenario's events are fixed in June 2024 (so that a seed streams the same events
  // on any day), which puts every key's expiry (lastSeen + retentionDays, 400 by default) in
  // the past. With TTL on, keys vanished mid-run and later events claimed them again: one
  // extra alert in about one run in four, the mismatch this run used to report. Live, event
  // times follow the wall clock and TTL deletes only keys expired by docs/semantics.md's rule; the
  // claim's write condition checks expiry either way.
  const tables = await createTables(admin, PREFIX, { enableTtl: false });
  const streamName = `${PREFIX}-events`;
  await kinesis.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: options.shards }));
  for (;;) {
    const { StreamDescriptionSummary: s } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: streamName }),
    );
    if (s?.StreamStatus === 'ACTIVE') break;
    await sleep(50);
  }
  const quarantineBucket = `${PREFIX}-quarantine`;
  const failuresBucket = `${PREFIX}-failures`;
  await createBucket(s3, quarantineBucket);
  await createBucket(s3, failuresBucket);

  const slack = await startSlackReceiver({ token: CHAOS_SLACK_BOT_TOKEN });
  const pagerDuty = await startPagerDutyReceiver();
  cleanups.add(
    () => slack.stop(),
    () => pagerDuty.stop(),
  );
  const slackGate = await ReceiverGate.open(Number(new URL(slack.baseUrl).port));
  const pagerDutyGate = await ReceiverGate.open(Number(new URL(pagerDuty.baseUrl).port));
  cleanups.add(
    () => slackGate.close(),
    () => pagerDutyGate.close(),
  );
  const secrets = new Map([
    ['FIRSTSEEN_SLACK_WEBHOOK_URL', `${slackGate.baseUrl}/webhook`],
    ['FIRSTSEEN_PAGERDUTY_ROUTING_KEY', ROUTING_KEY],
    ['FIRSTSEEN_SLACK_BOT_TOKEN', CHAOS_SLACK_BOT_TOKEN],
  ]);
  return {
    dynamo,
    kinesis,
    s3,
    s3Endpoint,
    admin,
    streams,
    tables,
    streamName,
    quarantineBucket,
    failuresBucket,
    slack,
    pagerDuty,
    slackGate,
    pagerDutyGate,
    secrets,
  };
}

import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { CloudFormationClient, ListStackInstancesCommand } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { LambdaClient, ListEventSourceMappingsCommand } from '@aws-sdk/client-lambda';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AccountRegion, Heartbeat } from '@firstseen/watchdog';
import { mockClient } from 'aws-sdk-client-mock';
import { renderCoverageTable, runCoverageCheck } from '../../src';
import type { CoverageTargets } from '../../src/types';
import describeOrganization from '../events/describeOrganization.json';
import iteratorAge from '../events/getMetricStatistics-iteratorAge.json';
import queueAttributes from '../events/getQueueAttributes.json';
import listAccounts from '../events/listAccounts.json';
import eventSourceMappings from '../events/listEventSourceMappings.json';
import listObjects from '../events/listObjectsV2.json';
import listRegions from '../events/listRegions.json';
import stackInstances1 from '../events/listStackInstances.json';
import stackInstances2 from '../events/listStackInstances-page2.json';

/*
 * CloudFormation StackSets, Organizations, Account, Lambda, CloudWatch, SQS and S3 have no local
 * emulator here: the real SDK v3 clients (paginators, commands) run with their transport
 * answered by aws-sdk-client-mock, from responses shaped as each API reference documents them
 * (tests/events/). The heartbeats are an in-memory source of the same interface; the DynamoDB
 * implementation is tested against DynamoDB Local in @firstseen/dynamodb-store.
 */

const NOW = Date.parse('2026-12-06T12:00:00Z');
const MINUTE = 60_000;

/** JSON has no dates: the SDK hands timestamps over as Date objects. */
function revive<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (k, v) =>
    typeof v === 'string' && /(Timestamp|LastModified)$/.test(k) ? new Date(v) : v,
  ) as T;
}

const mocks = {
  cloudformation: mockClient(CloudFormationClient),
  organizations: mockClient(OrganizationsClient),
  account: mockClient(AccountClient),
  lambda: mockClient(LambdaClient),
  cloudwatch: mockClient(CloudWatchClient),
  sqs: mockClient(SQSClient),
  s3: mockClient(S3Client),
};

const targets: CoverageTargets = {
  stackSetName: 'firstseen-forwarding',
  callAs: 'DELEGATED_ADMIN',
  baselineTable: 'firstseen-baseline',
  detectorFunctionName: 'firstseen-detector',
  ruleDeadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/222222222222/firstseen-to-stream-dlq',
  failureBucket: 'firstseen-failures-3f2a1b',
  silenceMs: 60 * MINUTE,
  iteratorAgeLimitMs: 300_000,
  maxRowsPerKind: 20,
};

function heartbeats(items: Heartbeat[]) {
  return {
    get: async (pairs: readonly AccountRegion[]) =>
      items.filter((h) => pairs.some((p) => p.account === h.account && p.region === h.region)),
  };
}

const recent = (account: string, region: string): Heartbeat => ({
  account,
  region,
  lastEventTime: NOW - MINUTE,
});

function answerAsRecorded() {
  mocks.cloudformation
    .on(ListStackInstancesCommand, { StackSetName: 'firstseen-forwarding', CallAs: 'DELEGATED_ADMIN' })
    .resolves(revive(stackInstances1) as never)
    .on(ListStackInstancesCommand, { NextToken: stackInstances1.NextToken })
    .resolves(revive(stackInstances2) as never);
  mocks.account.on(ListRegionsCommand).resolves(listRegions as never);
  mocks.organizations.on(ListAccountsCommand).resolves(revive(listAccounts) as never);
  mocks.organizations.on(DescribeOrganizationCommand).resolves(describeOrganization as never);
  mocks.lambda
    .on(ListEventSourceMappingsCommand, { FunctionName: 'firstseen-detector' })
    .resolves(revive(eventSourceMappings) as never);
  mocks.cloudwatch.on(GetMetricStatisticsCommand).resolves(revive(iteratorAge) as never);
  mocks.sqs.on(GetQueueAttributesCommand).resolves(queueAttributes as never);
  mocks.s3
    .on(ListObjectsV2Command, { Bucket: 'firstseen-failures-3f2a1b' })
    .resolves(revive(listObjects) as never);
}

const clients = (hb: ReturnType<typeof heartbeats>) => ({
  cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
  organizations: new OrganizationsClient({ region: 'us-east-1' }),
  account: new AccountClient({ region: 'us-east-1' }),
  lambda: new LambdaClient({ region: 'eu-west-1' }),
  cloudwatch: new CloudWatchClient({ region: 'eu-west-1' }),
  sqs: new SQSClient({ region: 'eu-west-1' }),
  s3: new S3Client({ region: 'eu-west-1' }),
  heartbeats: hb,
});

afterEach(() => {
  for (const m of Object.values(mocks)) m.reset();
});

describe('runCoverageCheck()', () => {
  it('reports every blind spot of a recorded organization and is not ok', async () => {
    answerAsRecorded();
    const report = await runCoverageCheck(
      clients(
        heartbeats([
          recent('222222222222', 'us-east-1'),
          recent('222222222222', 'eu-west-1'),
          recent('333333333333', 'us-east-1'),
          { account: '333333333333', region: 'eu-west-1', lastEventTime: NOW - 180 * MINUTE },
        ]),
      ),
      targets,
      NOW,
    );
    const gaps = report.rows.filter((r) => r.status !== 'ok').map((r) => `${r.check} ${r.target}`);
    expect(gaps).toEqual([
      'stackset 333333333333/eu-west-1',
      'regions ap-southeast-3',
      'expected-pairs 333333333333/eu-west-1',
      'management-account 111111111111',
      'dead-letters firstseen-to-stream-dlq',
      'failed-batches firstseen-failures-3f2a1b',
    ]);
    expect(report.ok).toBe(false);
    const stack = report.rows.find((r) => r.check === 'stackset')!;
    expect(stack.detail).toMatch(/^OUTDATED \(FAILED\): Account 333333333333 should have/);
    expect(report.rows.find((r) => r.check === 'expected-pairs')?.detail).toBe('silent for 180 minutes');
    // The forwarded regions came from the StackSet's instances; the mapping is healthy.
    expect(report.rows.filter((r) => r.check === 'stream-consumer').map((r) => r.status)).toEqual([
      'ok',
      'ok',
    ]);
    expect(report.rows.find((r) => r.target.endsWith('IteratorAge'))?.detail).toMatch(/^max 2 s/);
    expect(mocks.cloudformation.commandCalls(ListStackInstancesCommand)).toHaveLength(2);
  });

  it('lists a pair never heard from, and is ok when everything reports and nothing waits', async () => {
    answerAsRecorded();
    mocks.cloudformation.on(ListStackInstancesCommand).resolves({
      Summaries: revive(stackInstances1).Summaries,
    } as never);
    mocks.account.on(ListRegionsCommand).resolves({ Regions: listRegions.Regions.slice(0, 2) } as never);
    mocks.sqs
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { ApproximateNumberOfMessages: '0' } } as never);
    mocks.s3.on(ListObjectsV2Command).resolves({ KeyCount: 0, IsTruncated: false } as never);
    const everyone = ['111111111111', '222222222222', '333333333333'].flatMap((a) =>
      ['us-east-1', 'eu-west-1'].map((r) => recent(a, r)),
    );
    const clean = await runCoverageCheck(clients(heartbeats(everyone)), targets, NOW);
    expect(clean.rows.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(clean.ok).toBe(true);

    const missing = await runCoverageCheck(clients(heartbeats(everyone.slice(1))), targets, NOW);
    expect(missing.rows.filter((r) => r.status !== 'ok')).toEqual([
      {
        check: 'management-account',
        target: '111111111111/us-east-1',
        status: 'gap',
        detail: 'never heard from',
      },
    ]);
  });

  it('turns a check that cannot run into an error row, never a pass', async () => {
    answerAsRecorded();
    mocks.lambda.on(ListEventSourceMappingsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: lambda:ListEventSourceMappings'), {
        name: 'AccessDeniedException',
      }),
    );
    const report = await runCoverageCheck(clients(heartbeats([])), targets, NOW);
    expect(report.rows.find((r) => r.check === 'stream-consumer')).toEqual({
      check: 'stream-consumer',
      target: '-',
      status: 'error',
      detail: 'AccessDeniedException: User is not authorized to perform: lambda:ListEventSourceMappings',
    });
    expect(report.ok).toBe(false);
  });

  it('reports a disabled mapping and an iterator age above the limit', async () => {
    answerAsRecorded();
    mocks.lambda.on(ListEventSourceMappingsCommand).resolves({
      EventSourceMappings: [
        {
          ...eventSourceMappings.EventSourceMappings[0],
          State: 'Disabled',
          LastProcessingResult: 'PROBLEM: Function call failed',
        },
      ],
    } as never);
    mocks.cloudwatch.on(GetMetricStatisticsCommand).resolves({
      Datapoints: [{ Timestamp: new Date(NOW - MINUTE), Maximum: 900_000, Unit: 'Milliseconds' }],
    } as never);
    const report = await runCoverageCheck(clients(heartbeats([])), targets, NOW);
    expect(report.rows.filter((r) => r.check === 'stream-consumer').map((r) => [r.status, r.detail])).toEqual(
      [
        ['gap', 'state Disabled (User action), last result PROBLEM: Function call failed'],
        ['gap', 'max 900 s over 15 minutes (limit 300 s)'],
      ],
    );
  });
});

describe('renderCoverageTable()', () => {
  it('prints gaps first in one aligned table and a verdict line', () => {
    const text = renderCoverageTable({
      ok: false,
      rows: [
        {
          check: 'regions',
          target: '3 forwarded',
          status: 'ok',
          detail: 'every enabled region is forwarded (3)',
        },
        { check: 'stackset', target: '333333333333/eu-west-1', status: 'gap', detail: 'OUTDATED' },
      ],
    });
    expect(text.split('\n')).toEqual([
      'CHECK     TARGET                  STATUS  DETAIL',
      '--------  ----------------------  ------  -------------------------------------',
      'stackset  333333333333/eu-west-1  GAP     OUTDATED',
      'regions   3 forwarded             OK      every enabled region is forwarded (3)',
      '',
      'coverage: 1 gap(s) or error(s)',
    ]);
  });
});

import type { AccountClient } from '@aws-sdk/client-account';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { DescribeOrganizationCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { type HeartbeatSource, OrganizationsAccountSource } from '@firstseen/watchdog';
import { checkExpectedPairs } from './checkExpectedPairs';
import { checkFailureStores } from './checkFailureStores';
import { checkRegions, enabledRegions } from './checkRegions';
import { checkStackSet } from './checkStackSet';
import { checkStreamConsumer } from './checkStreamConsumer';
import type { CoverageReport, CoverageRow, CoverageTargets } from './types';

/** The AWS clients the check reads with (the same credentials as `pulumi up`). */
export interface CoverageClients {
  cloudformation: CloudFormationClient;
  organizations: OrganizationsClient;
  account: AccountClient;
  lambda: LambdaClient;
  cloudwatch: CloudWatchClient;
  sqs: SQSClient;
  s3: S3Client;
  /** The heartbeat items of the baseline table, read by key. */
  heartbeats: Pick<HeartbeatSource, 'get'>;
}

function errorRow(check: string, err: unknown): CoverageRow {
  const e = err as { name?: string; message?: string };
  return { check, target: '-', status: 'error', detail: `${e.name ?? 'Error'}: ${e.message ?? String(err)}` };
}

async function guarded(check: string, run: () => Promise<CoverageRow[]>): Promise<CoverageRow[]> {
  try {
    return await run();
  } catch (err) {
    return [errorRow(check, err)];
  }
}

/**
 * Is firstseen blind anywhere? Read-only: StackSet instances not CURRENT, regions enabled but
 * not forwarded, expected (account, region) pairs never heard from or silent, the management
 * account's forwarding, the detector's event source mapping and iterator age, and what waits in
 * the dead-letter queue and the failure bucket. A check that cannot run (access denied, a wrong
 * name) is an `error` row, never a silent pass.
 */
export async function runCoverageCheck(
  clients: CoverageClients,
  targets: CoverageTargets,
  now: number,
): Promise<CoverageReport> {
  const rows: CoverageRow[] = [];
  let stackSetRegions: string[] = [];
  rows.push(
    ...(await guarded('stackset', async () => {
      const r = await checkStackSet(clients.cloudformation, targets);
      stackSetRegions = r.regions;
      return r.rows;
    })),
  );
  const regions = targets.regions ?? stackSetRegions;
  rows.push(
    ...(await guarded('regions', async () => checkRegions(await enabledRegions(clients.account), regions))),
  );
  rows.push(
    ...(await guarded('expected-pairs', async () => {
      if (regions.length === 0) throw new Error('no forwarded region known: give --regions');
      const [accounts, org] = await Promise.all([
        new OrganizationsAccountSource(clients.organizations).listActiveAccounts(),
        clients.organizations.send(new DescribeOrganizationCommand({})),
      ]);
      return checkExpectedPairs({
        accounts,
        managementAccount: org.Organization?.MasterAccountId,
        regions,
        heartbeats: clients.heartbeats,
        now,
        targets,
      });
    })),
  );
  rows.push(
    ...(await guarded('stream-consumer', () =>
      checkStreamConsumer(clients.lambda, clients.cloudwatch, targets, now),
    )),
  );
  rows.push(...(await guarded('failure-stores', () => checkFailureStores(clients.sqs, clients.s3, targets))));
  return { ok: rows.every((r) => r.status === 'ok'), rows };
}

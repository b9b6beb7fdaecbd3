import { AccountClient } from '@aws-sdk/client-account';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { HeartbeatStore } from '@firstseen/dynamodb-store';
import type { CoverageClients } from './runCoverageCheck';

/**
 * The real clients, with the default credential chain (the `pulumi up` credentials). The
 * pipeline's region for its own resources; Organizations and Account are global services
 * answered in us-east-1.
 */
export function createCoverageClients(options: { region?: string; baselineTable: string }): CoverageClients {
  const regional = options.region ? { region: options.region } : {};
  const dynamodb = new DynamoDBClient(regional);
  const store = new HeartbeatStore({ client: dynamodb, tableName: options.baselineTable });
  return {
    cloudformation: new CloudFormationClient(regional),
    organizations: new OrganizationsClient({ region: 'us-east-1' }),
    account: new AccountClient({ region: 'us-east-1' }),
    lambda: new LambdaClient(regional),
    cloudwatch: new CloudWatchClient(regional),
    sqs: new SQSClient(regional),
    s3: new S3Client(regional),
    heartbeats: { get: (pairs) => store.getHeartbeats(pairs) },
  };
}

import { userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSuppressionStore } from '@firstseen/dynamodb-store';
import {
  createDynamoDbClient,
  describeLocalStack,
  LocalStackError,
  resolveTargets,
} from '@firstseen/local-stack';
import {
  DynamoAlertDecisionStore,
  parseTriageArgs,
  runTriageCommand,
  SuppressionInputError,
  TRIAGE_USAGE,
} from '@firstseen/triage';
import { runCommand } from './runCommand';

/**
 * `npm run triage -- list | add | remove | audit --since 7d` (TRIAGE_USAGE): suppressions for
 * teams that triage outside Slack, and the audit of decisions. Tables from the options, else
 * FIRSTSEEN_BASELINE_TABLE / FIRSTSEEN_ALERTS_TABLE, else the running local stack; credentials
 * and region as the AWS CLI's.
 */
runCommand({
  name: 'triage',
  usage: TRIAGE_USAGE,
  usageErrors: [SuppressionInputError],
  inputErrors: [LocalStackError],
  async run(argv) {
    const { values } = parseTriageArgs(argv);
    const env = process.env;
    const target = await resolveTargets({
      needs: ['baselineTable', 'alertsTable'],
      given: {
        baselineTable: values['baseline-table'] ?? env.FIRSTSEEN_BASELINE_TABLE,
        alertsTable: values['alerts-table'] ?? env.FIRSTSEEN_ALERTS_TABLE,
        dynamodbEndpoint: values.endpoint ?? env.FIRSTSEEN_DYNAMODB_ENDPOINT,
      },
      hints: {
        baselineTable: '--baseline-table NAME (or FIRSTSEEN_BASELINE_TABLE)',
        alertsTable: '--alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE)',
      },
    });
    if (target.local) process.stderr.write(`triage: ${describeLocalStack(target.local, target.names)}\n`);
    const endpoint = target.dynamodbEndpoint;
    const client = target.local
      ? createDynamoDbClient(target.local.endpoints.dynamodb)
      : new DynamoDBClient(endpoint ? { endpoint } : {});
    try {
      return await runTriageCommand(argv, {
        suppressions: new DynamoSuppressionStore({ client, tableName: target.names.baselineTable }),
        alerts: new DynamoAlertDecisionStore({ client, tableName: target.names.alertsTable }),
        out: (line) => process.stdout.write(`${line}\n`),
        user: userInfo().username,
      });
    } finally {
      client.destroy();
    }
  },
});

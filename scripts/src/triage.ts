import { userInfo } from 'node:os';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoSuppressionStore } from '@firstseen/dynamodb-store';
import {
  DynamoAlertDecisionStore,
  parseTriageArgs,
  runTriageCommand,
  SuppressionInputError,
  TRIAGE_USAGE,
} from '@firstseen/triage';

/**
 * `npm run triage -- list | add | remove | audit --since 7d` (TRIAGE_USAGE): suppressions for
 * teams that triage outside Slack, and the audit of decisions. Tables from the options or
 * FIRSTSEEN_BASELINE_TABLE / FIRSTSEEN_ALERTS_TABLE; credentials and region as the AWS CLI's.
 */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values } = parseTriageArgs(argv);
  const baselineTable = values['baseline-table'] ?? process.env.FIRSTSEEN_BASELINE_TABLE ?? '';
  const alertsTable = values['alerts-table'] ?? process.env.FIRSTSEEN_ALERTS_TABLE ?? '';
  const endpoint = values.endpoint ?? process.env.FIRSTSEEN_DYNAMODB_ENDPOINT;
  if (!values.help && argv.length > 0 && (!baselineTable || !alertsTable)) {
    throw new SuppressionInputError(
      'give --baseline-table and --alerts-table (or FIRSTSEEN_BASELINE_TABLE / FIRSTSEEN_ALERTS_TABLE)',
    );
  }
  const client = new DynamoDBClient(endpoint ? { endpoint } : {});
  try {
    process.exitCode = await runTriageCommand(argv, {
      suppressions: new DynamoSuppressionStore({ client, tableName: baselineTable }),
      alerts: new DynamoAlertDecisionStore({ client, tableName: alertsTable }),
      out: (line) => process.stdout.write(`${line}\n`),
      user: userInfo().username,
    });
  } finally {
    client.destroy();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`triage: ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof SuppressionInputError) process.stderr.write(`${TRIAGE_USAGE}\n`);
  process.exitCode = err instanceof SuppressionInputError ? 2 : 1;
});

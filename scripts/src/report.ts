import { writeFile } from 'node:fs/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConfigError, loadConfigFileSync } from '@firstseen/core';
import { DynamoAlertOutbox } from '@firstseen/dynamodb-store';
import {
  createDynamoDbClient,
  describeLocalStack,
  LocalStackError,
  resolveTargets,
} from '@firstseen/local-stack';
import { parseReportArgs, REPORT_USAGE, runReportCommand } from '@firstseen/report';
import { runCommand } from './runCommand';

/**
 * `npm run report -- --since 7d [--out FILE.html] [--json]` (REPORT_USAGE): the report that tunes
 * over the live alerts table. Table from the options, else FIRSTSEEN_ALERTS_TABLE, else the
 * running local stack; credentials and region as the AWS CLI's.
 */
runCommand({
  name: 'report',
  usage: REPORT_USAGE,
  inputErrors: [LocalStackError, ConfigError],
  async run(argv) {
    const args = parseReportArgs(argv);
    const env = process.env;
    const target = await resolveTargets({
      needs: ['alertsTable'],
      given: {
        alertsTable: args.alertsTable ?? env.FIRSTSEEN_ALERTS_TABLE,
        dynamodbEndpoint: args.endpoint ?? env.FIRSTSEEN_DYNAMODB_ENDPOINT,
      },
      hints: { alertsTable: '--alerts-table NAME (or FIRSTSEEN_ALERTS_TABLE)' },
    });
    if (target.local) process.stderr.write(`report: ${describeLocalStack(target.local, target.names)}\n`);
    const configPath = args.configPath ?? (env.FIRSTSEEN_CONFIG_PATH || target.local?.configPath);
    const config = loadConfigFileSync(configPath);
    const endpoint = target.dynamodbEndpoint;
    const client = target.local
      ? createDynamoDbClient(target.local.endpoints.dynamodb)
      : new DynamoDBClient(endpoint ? { endpoint } : {});
    const outbox = new DynamoAlertOutbox({ client, tableName: target.names.alertsTable });
    try {
      return await runReportCommand(args, {
        readAlerts: (since) => outbox.alertsSince(since),
        config,
        configSource: configPath ?? 'default configuration',
        source: target.names.alertsTable,
        now: Date.now,
        writeFile: (path, text) => writeFile(path, text),
        out: (line) => process.stdout.write(`${line}\n`),
      });
    } finally {
      client.destroy();
    }
  },
});

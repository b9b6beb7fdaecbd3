import { ConfigError, createLogger, numberOption, parseCommandLine } from '@firstseen/core';
import {
  createDynamoDbClient,
  describeLocalStack,
  LocalStackError,
  resolveTargets,
} from '@firstseen/local-stack';
import { createNotifyRuntime, readNotifyEnvironment, redriveAlerts } from '@firstseen/notify';
import { runCommand } from './runCommand';

const USAGE = `usage: npm run redrive -- [--table NAME] [--endpoint URL] [--config FILE] [options]

Re-sends every alert whose delivery is incomplete (what the scheduled redrive function does).

  --table NAME            the alerts table (default: FIRSTSEEN_ALERTS_TABLE, else the running
                          local stack of \`npm start\`, with its config)
  --endpoint URL          DynamoDB endpoint (default: FIRSTSEEN_DYNAMODB_ENDPOINT)
  --config FILE           the detection config whose destinations to deliver to
                          (default: FIRSTSEEN_CONFIG_PATH)
  --min-age-minutes N     leave younger alerts to the dispatcher (default 0)
  --skip-permanent        do not retry destinations that failed permanently
  -h, --help

Secrets come from the environment unless FIRSTSEEN_SECRETS=secretsmanager. Exit 2 when some
alerts are still incomplete.`;

runCommand({
  name: 'redrive',
  usage: USAGE,
  inputErrors: [LocalStackError, ConfigError],
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      config: { type: 'string' },
      'min-age-minutes': { type: 'string' },
      'skip-permanent': { type: 'boolean' },
    });
    const minutes = numberOption('min-age-minutes', values['min-age-minutes'], { min: 0 }) ?? 0;
    const env = { ...process.env };
    const target = await resolveTargets({
      needs: ['alertsTable'],
      given: {
        alertsTable: values.table ?? env.FIRSTSEEN_ALERTS_TABLE,
        dynamodbEndpoint: values.endpoint ?? env.FIRSTSEEN_DYNAMODB_ENDPOINT,
      },
      hints: { alertsTable: '--table NAME (or FIRSTSEEN_ALERTS_TABLE)' },
    });
    env.FIRSTSEEN_ALERTS_TABLE = target.names.alertsTable;
    if (target.dynamodbEndpoint) env.FIRSTSEEN_DYNAMODB_ENDPOINT = target.dynamodbEndpoint;
    const configPath = values.config ?? env.FIRSTSEEN_CONFIG_PATH ?? target.local?.configPath;
    if (configPath) env.FIRSTSEEN_CONFIG_PATH = configPath;
    if (target.local) process.stderr.write(`redrive: ${describeLocalStack(target.local, target.names)}\n`);
    const logger = createLogger({ name: 'redrive', level: env.FIRSTSEEN_LOG_LEVEL || 'warn' });
    const deps = await createNotifyRuntime(
      readNotifyEnvironment(env),
      logger,
      target.local ? { dynamoDbClient: createDynamoDbClient(target.local.endpoints.dynamodb) } : {},
    );
    const report = await redriveAlerts(deps, {
      minAgeMs: minutes * 60_000,
      includePermanent: values['skip-permanent'] !== true,
    });
    process.stdout.write(
      `${JSON.stringify({ scanned: report.scanned, attempted: report.attempted, delivered: report.delivered.length, stillIncomplete: report.stillIncomplete })}\n`,
    );
    return report.stillIncomplete.length > 0 ? 2 : 0;
  },
});

import { parseArgs } from 'node:util';
import { createLogger } from '@firstseen/core';
import { createNotifyRuntime, readNotifyEnvironment, redriveAlerts } from '@firstseen/notify';

/**
 * `npm run redrive -- --table NAME [--endpoint URL] [--config FILE] [--min-age-minutes N]`
 * Re-sends every alert whose delivery is incomplete. Secrets come from the environment unless
 * FIRSTSEEN_SECRETS=secretsmanager.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      config: { type: 'string' },
      'min-age-minutes': { type: 'string', default: '0' },
      'skip-permanent': { type: 'boolean', default: false },
    },
  });
  const env = { ...process.env };
  if (values.table) env['FIRSTSEEN_ALERTS_TABLE'] = values.table;
  if (values.endpoint) env['FIRSTSEEN_DYNAMODB_ENDPOINT'] = values.endpoint;
  if (values.config) env['FIRSTSEEN_CONFIG_PATH'] = values.config;
  const logger = createLogger({ name: 'redrive' });
  const deps = await createNotifyRuntime(readNotifyEnvironment(env), logger);
  const minutes = Number(values['min-age-minutes']);
  const report = await redriveAlerts(deps, {
    minAgeMs: Number.isFinite(minutes) ? minutes * 60_000 : 0,
    includePermanent: !values['skip-permanent'],
  });
  process.stdout.write(
    `${JSON.stringify({ scanned: report.scanned, attempted: report.attempted, delivered: report.delivered.length, stillIncomplete: report.stillIncomplete })}\n`,
  );
  if (report.stillIncomplete.length > 0) process.exitCode = 2;
}

main().catch((err: unknown) => {
  process.stderr.write(`redrive failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});

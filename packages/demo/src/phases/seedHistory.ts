import type { Config } from '@firstseen/core';
import { DynamoAccountDirectory, DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { accountDirectoryOf, generateEvents } from '@firstseen/generator';
import type { LocalStack } from '@firstseen/local-stack';
import type { DemoContext } from '../context';
import { checkInterrupted } from '../errors';
import { type SeedResult, seedBaseline } from '../seedBaseline';
import { untilInterrupted } from '../wait';
import type { Traffic } from './planTraffic';

export interface SeededHistory {
  seeded: SeedResult;
  /** How long seeding took. */
  ms: number;
}

/** The baseline table seeded from the generated history (source `seed`: nothing alerts). */
export async function seedHistory(
  ctx: DemoContext,
  stack: LocalStack,
  config: Config,
  traffic: Traffic,
): Promise<SeededHistory> {
  const seedStarted = Date.now();
  const historyDays = ctx.options.historyDays ?? 120;
  ctx.write(`Seeding the baseline from ${historyDays} days of generated CloudTrail history...\n`);
  const store = new DynamoBaselineStore({
    client: stack.clients.dynamodb,
    tableName: stack.resources.baselineTable,
  });
  const history = generateEvents(traffic.org, {
    start: traffic.period.start,
    end: traffic.period.liveStart,
    eventsPerDay: ctx.options.historyEventsPerDay ?? 500,
    anomalies: traffic.plan,
  });
  const seeded = await seedBaseline(untilInterrupted(ctx.signal, history), config, store);
  const ms = Date.now() - seedStarted;
  checkInterrupted(ctx.signal);
  ctx.write(
    `  ${seeded.observed} events, ${seeded.keys} level keys, ${seeded.principals} principals (${(ms / 1000).toFixed(1)} s)\n`,
  );
  // What the watchdog's run caches in AWS: the organization's account names, OU paths and tags.
  const directory = accountDirectoryOf(traffic.org);
  await new DynamoAccountDirectory(stack.clients.dynamodb, stack.resources.baselineTable).put(
    directory,
    Date.now(),
  );
  ctx.write(`  account directory: ${Object.keys(directory).length} accounts with names and OUs\n`);
  return { seeded, ms };
}

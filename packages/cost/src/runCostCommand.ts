import { UsageError } from '@firstseen/core';
import { estimateMonthlyCost } from './estimateMonthlyCost';
import { formatCostTable } from './formatCost';
import { COST_USAGE, parseCostArgs } from './parseCostArgs';
import { formatSeedProjection, projectSeedOnAws } from './projectSeedOnAws';

const COMPARISONS = {
  feed: [
    ['eventbridge', { feed: 'eventbridge' }],
    ['trail', { feed: 'trail' }],
    ['both', { feed: 'both' }],
  ],
  coverage: [
    ['all', { coverage: 'all' }],
    ['write-only', { coverage: 'write-only' }],
  ],
  kinesis: [
    ['on-demand', { kinesisMode: 'on-demand' }],
    ['provisioned', { kinesisMode: 'provisioned' }],
  ],
} as const;

/** `npm run cost`: returns the exit code; writes the table or JSON to `out`, problems to `err`. */
export function runCostCommand(argv: string[], out: (s: string) => void, err: (s: string) => void): number {
  let command: ReturnType<typeof parseCostArgs>;
  try {
    command = parseCostArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`cost: ${e.message}\n\n${COST_USAGE}`);
    return 2;
  }
  if (command.help) {
    out(COST_USAGE);
    return 0;
  }
  if (command.seedProjection) {
    const { eventsPerDay, ...settings } = command.seedProjection;
    const rows = eventsPerDay.map((e) => projectSeedOnAws({ ...settings, eventsPerDay: e }));
    out(command.json ? JSON.stringify(rows, null, 2) : formatSeedProjection(rows));
    return 0;
  }
  const variants = command.compare
    ? COMPARISONS[command.compare].map(([label, change]) => ({
        label,
        profile: { ...command.profile, ...change },
      }))
    : [{ label: 'this organization', profile: command.profile }];
  const estimates = variants.map((v) => ({ label: v.label, estimate: estimateMonthlyCost(v.profile) }));
  if (command.json) {
    out(
      JSON.stringify(
        command.compare
          ? Object.fromEntries(estimates.map((e) => [e.label, e.estimate]))
          : estimates[0]!.estimate,
        null,
        2,
      ),
    );
  } else {
    out(formatCostTable(estimates));
  }
  return 0;
}

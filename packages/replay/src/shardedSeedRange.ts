import { DAY_MS } from '@firstseen/core';
import { ReplayArgumentError } from './errors';
import type { ReplayArgs } from './parseReplayArgs';

const days = (ms: number) => Math.round((ms / DAY_MS) * 10) / 10;

/**
 * The stated limit of a sharded seed (docs/semantics.md "Sharded seed"): shards merged in any
 * order leave the baseline of one sequential seed only while the replayed history spans at most
 * `retentionDays`. Beyond that a sequential seed lets a key expire and claims it again later,
 * where the merge keeps the older first sighting. So a seed split into shards (`--workers N`
 * above 1, or `--on aws`) over a longer `--from`/`--to` range is refused in one line naming both
 * numbers. With an open range (no `--from` or no `--to`), a local seed checks the history it
 * read before writing anything (runParallelReplay: ShardedSeedSpanError); `--on aws` cannot, so
 * it gets a warning line (returned; undefined when there is nothing to say).
 */
export function checkShardedSeedRange(
  args: Pick<ReplayArgs, 'mode' | 'workers' | 'on' | 'filters'>,
  retentionDays: number,
): string | undefined {
  if (args.mode !== 'seed' || (args.on !== 'aws' && args.workers <= 1)) return undefined;
  const how = args.on === 'aws' ? '--on aws' : `--workers ${args.workers}`;
  const sequential = args.on === 'aws' ? 'seed locally with --workers 1' : 'give --workers 1';
  const { from, to } = args.filters;
  if (from === undefined || to === undefined) {
    if (args.on !== 'aws') return undefined;
    return `replay: warning: a ${how} seed without both --from and --to: shards merge into the baseline of a sequential seed only when the history spans at most retentionDays (${retentionDays}) days (docs/semantics.md "Sharded seed"); for a longer history, ${sequential}`;
  }
  if (to - from > retentionDays * DAY_MS) {
    throw new ReplayArgumentError(
      `--from/--to span ${days(to - from)} days, more than retentionDays (${retentionDays}): a ${how} seed equals a sequential seed only within retentionDays (docs/semantics.md "Sharded seed"); narrow the range or ${sequential}`,
    );
  }
  return undefined;
}

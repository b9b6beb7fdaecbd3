import { matchesAnyGlob } from '@firstseen/core';
import type { AccountRegion, WatchdogOptions } from './types';

/** Every (account, region) that should send events: accounts x regions, minus ignored ones. */
export function expectedPairs(
  accounts: readonly string[],
  regions: readonly string[],
  ignore: WatchdogOptions['ignore'] = {},
): AccountRegion[] {
  const pairs: AccountRegion[] = [];
  for (const account of new Set(accounts)) {
    if (matchesAnyGlob(account, ignore.accounts ?? [])) continue;
    for (const region of new Set(regions)) {
      if (matchesAnyGlob(region, ignore.regions ?? [])) continue;
      pairs.push({ account, region });
    }
  }
  return pairs;
}

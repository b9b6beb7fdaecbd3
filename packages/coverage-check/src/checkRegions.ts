import { type AccountClient, paginateListRegions } from '@aws-sdk/client-account';
import type { CoverageRow } from './types';

/** The regions enabled for this account (enabled by default, or opted in). */
export async function enabledRegions(client: AccountClient): Promise<string[]> {
  const regions: string[] = [];
  const pages = paginateListRegions(
    { client },
    { RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'] },
  );
  for await (const page of pages) {
    for (const r of page.Regions ?? []) if (r.RegionName) regions.push(r.RegionName);
  }
  return regions.sort();
}

/** One gap per region enabled but not forwarded: activity there is invisible to firstseen. */
export function checkRegions(enabled: readonly string[], forwarded: readonly string[]): CoverageRow[] {
  const missing = enabled.filter((r) => !forwarded.includes(r));
  if (missing.length === 0) {
    return [
      {
        check: 'regions',
        target: `${forwarded.length} forwarded`,
        status: 'ok',
        detail: `every enabled region is forwarded (${enabled.length})`,
      },
    ];
  }
  return missing.map((region) => ({
    check: 'regions',
    target: region,
    status: 'gap',
    detail: 'enabled but not forwarded: forward it, or deny it with an SCP on aws:RequestedRegion',
  }));
}

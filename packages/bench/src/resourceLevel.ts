import type { Config } from '@firstseen/core';
import { measureDdbRequests } from './ddbRequests';

/** The share of S3 calls in the workload the resource level is measured on (issue 23). */
export const RESOURCE_WORKLOAD_S3_SHARE = 0.2;

export interface ResourceLevelResult {
  /** Records of the thinned workload, and the share of them that are `s3.amazonaws.com` calls. */
  events: number;
  s3Share: number;
  /** Engine requests per 1,000 events (firstseen), and with explanations, level off then on. */
  per1kOff: { firstseen: number; firstseenExplain: number };
  per1kOn: { firstseen: number; firstseenExplain: number };
  /** per1kOn / per1kOff. */
  ratio: number;
  ratioExplain: number;
}

const isS3 = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  (value as Record<string, unknown>)['eventSource'] === 's3.amazonaws.com';

/** A stable number in [0, 1) from a string (FNV-1a), so the thinning is the same on every run. */
function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 2 ** 32;
}

/**
 * The workload with its non-S3 records thinned (by a hash of the eventID, so deterministically
 * and evenly in time) until S3 calls are `share` of it; every S3 record is kept. A workload that
 * already has that share or more is left whole.
 */
export async function* withS3Share(
  values: () => AsyncIterable<unknown>,
  share = RESOURCE_WORKLOAD_S3_SHARE,
): AsyncGenerator<unknown> {
  let s3 = 0;
  let other = 0;
  for await (const v of values()) {
    if (isS3(v)) s3++;
    else other++;
  }
  const keep = other === 0 ? 1 : Math.min(1, (s3 * (1 - share)) / (share * other));
  for await (const v of values()) {
    if (keep >= 1 || isS3(v)) {
      yield v;
      continue;
    }
    const id = typeof v === 'object' && v !== null ? (v as Record<string, unknown>)['eventID'] : undefined;
    if (typeof id !== 'string' || unitHash(id) < keep) yield v;
  }
}

/**
 * The opt-in `resource` level's cost: the same S3-heavy workload through measureDdbRequests with
 * the level off, then on (everything else as `config`). The goal is at most 1.35x the requests.
 */
export async function measureResourceLevel(
  values: () => AsyncIterable<unknown>,
  config: Config,
): Promise<ResourceLevelResult> {
  let events = 0;
  let s3 = 0;
  for await (const v of withS3Share(values)) {
    events++;
    if (isS3(v)) s3++;
  }
  const off = await measureDdbRequests(withS3Share(values), {
    ...config,
    levels: { ...config.levels, resource: false },
  });
  const on = await measureDdbRequests(withS3Share(values), {
    ...config,
    levels: { ...config.levels, resource: true },
  });
  const pick = (r: typeof off) => ({
    firstseen: r.per1kEvents.firstseen,
    firstseenExplain: r.per1kEvents.firstseenExplain,
  });
  const per1kOff = pick(off);
  const per1kOn = pick(on);
  return {
    events,
    s3Share: events === 0 ? 0 : s3 / events,
    per1kOff,
    per1kOn,
    ratio: per1kOff.firstseen === 0 ? 0 : per1kOn.firstseen / per1kOff.firstseen,
    ratioExplain: per1kOff.firstseenExplain === 0 ? 0 : per1kOn.firstseenExplain / per1kOff.firstseenExplain,
  };
}

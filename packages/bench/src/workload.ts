import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  type CloudTrailRecord,
  createOrganization,
  generateEvents,
  type Organization,
} from '@firstseen/generator';

/** What the benchmark runs on: the generated organization, or an NDJSON file (`--input`). */
export interface WorkloadSpec {
  /** Generator seed (default `firstseen-bench`). */
  seed: string;
  /** Start of the generated period, epoch ms. */
  start: number;
  days: number;
  eventsPerDay: number;
  /** NDJSON file of CloudTrail records or EventBridge envelopes; replaces the generated events. */
  input?: string;
}

/** 14 days from the generator's default organization, 72,000 events a day: about 1,008,000 events. */
export const FULL_WORKLOAD: WorkloadSpec = {
  seed: 'firstseen-bench',
  start: Date.UTC(2025, 0, 6),
  days: 14,
  eventsPerDay: 72_000,
};

/** `--quick`: the same organization, 2 days of 10,000 events. */
export const QUICK_WORKLOAD: WorkloadSpec = { ...FULL_WORKLOAD, days: 2, eventsPerDay: 10_000 };

export function organizationOf(spec: WorkloadSpec): Organization {
  return createOrganization({ seed: spec.seed });
}

/** The generated CloudTrail records in time order (lazy). */
export function generatedRecords(spec: WorkloadSpec): Iterable<CloudTrailRecord> {
  return generateEvents(organizationOf(spec), {
    start: spec.start,
    days: spec.days,
    eventsPerDay: spec.eventsPerDay,
  });
}

/** Parsed JSON values of an NDJSON file, one per non-blank line; lines that are not JSON are passed on as strings. */
export async function* ndjsonValues(file: string): AsyncGenerator<unknown> {
  const lines = createInterface({
    input: createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    try {
      yield JSON.parse(line);
    } catch {
      yield line;
    }
  }
}

/** The workload's JSON values: generated records, or the lines of `--input`. */
export async function* workloadValues(spec: WorkloadSpec): AsyncGenerator<unknown> {
  if (spec.input !== undefined) {
    yield* ndjsonValues(spec.input);
    return;
  }
  yield* generatedRecords(spec);
}

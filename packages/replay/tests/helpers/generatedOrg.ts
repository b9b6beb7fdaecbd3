import { gzipSync } from 'node:zlib';
import { S3Client as Client, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import {
  type Alert,
  type Config,
  classifyRecord,
  DetectionEngine,
  decodeOptionsFromConfig,
  InMemoryBaselineStore,
  type ObservedEvent,
} from '@firstseen/core';
import {
  type CloudTrailRecord,
  cloudTrailObjectKey,
  createOrganization,
  generateEvents,
} from '@firstseen/generator';
import type { ObjectSource, ReplayObject } from '../../src/sources';

export const DAY = 86_400_000;
/**
 * The history ends yesterday: DynamoDB (Local too) deletes items whose TTL (lastSeen +
 * retentionDays) has passed, so a fixed date would make the seeded keys vanish some day.
 */
export const HISTORY_START = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 16 * 86_400_000;
export const HISTORY_DAYS = 12;
export const LIVE_START = HISTORY_START + HISTORY_DAYS * DAY;
export const LIVE_DAYS = 3;

/** Coarse deliveries (one file per account, region and day) keep the object count small. */
const DELIVERY_MS = 24 * 3_600_000;

export interface LogFile {
  key: string;
  records: CloudTrailRecord[];
}

/** Records grouped into CloudTrail-named files, already in the specification's replay order. */
/** The files as an ObjectSource held in memory (gzipped as CloudTrail writes them), listed in order. */
export function memorySource(files: LogFile[]): ObjectSource {
  const bytes = new Map(files.map((f) => [f.key, gzipSync(JSON.stringify({ Records: f.records }))]));
  return {
    description: 'memory',
    async list(): Promise<ReplayObject[]> {
      return files.map((f) => ({ key: f.key, delivery: '' }));
    },
    async read(o) {
      return bytes.get(o.key) as Uint8Array;
    },
  };
}

export function toLogFiles(records: CloudTrailRecord[], prefix: string): LogFile[] {
  const windows = new Map<number, Map<string, CloudTrailRecord[]>>();
  for (const r of records) {
    const w = Math.floor(Date.parse(r.eventTime) / DELIVERY_MS);
    let byTarget = windows.get(w);
    if (!byTarget) {
      byTarget = new Map();
      windows.set(w, byTarget);
    }
    const k = `${r.recipientAccountId}|${r.awsRegion}`;
    const list = byTarget.get(k) ?? [];
    list.push(r);
    byTarget.set(k, list);
  }
  const files: LogFile[] = [];
  for (const w of [...windows.keys()].sort((a, b) => a - b)) {
    const byTarget = windows.get(w)!;
    for (const k of [...byTarget.keys()].sort()) {
      const [account, region] = k.split('|') as [string, string];
      const key = cloudTrailObjectKey(account, region, (w + 1) * DELIVERY_MS, `w${w}`);
      files.push({ key: `${prefix}${key}`, records: byTarget.get(k)! });
    }
  }
  return files;
}

export interface GeneratedHistory {
  history: LogFile[];
  live: LogFile[];
}

/** A small generated organization: 12 days of history, then 3 live days (about 1,000 events). */
export function generateHistory(): GeneratedHistory {
  const org = createOrganization({ seed: 'replay-it', accounts: 3 });
  const history = [...generateEvents(org, { start: HISTORY_START, days: HISTORY_DAYS, eventsPerDay: 70 })];
  const live = [...generateEvents(org, { start: LIVE_START, days: LIVE_DAYS, eventsPerDay: 70 })];
  return { history: toLogFiles(history, 'history/'), live: toLogFiles(live, 'live/') };
}

export async function uploadFiles(s3: S3Client, bucket: string, files: LogFile[]): Promise<void> {
  for (let i = 0; i < files.length; i += 16) {
    await Promise.all(
      files.slice(i, i + 16).map((f) =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: f.key,
            Body: gzipSync(JSON.stringify({ Records: f.records })),
          }),
        ),
      ),
    );
  }
}

/** The observed events of the files, in order, under the config's coverage and ignore rules. */
export function observedEvents(files: LogFile[], config: Config): ObservedEvent[] {
  const options = decodeOptionsFromConfig(config);
  const events: ObservedEvent[] = [];
  for (const f of files) {
    for (const r of f.records) {
      const d = classifyRecord(r, options);
      if (d.outcome === 'observed') events.push(d.event);
    }
  }
  return events;
}

/** The reference: the in-memory engine over the events, one at a time, in order. */
export async function referenceAlerts(
  events: ObservedEvent[],
  config: Config,
  store = new InMemoryBaselineStore(),
): Promise<Alert[]> {
  const engine = new DetectionEngine({ store, config });
  const alerts: Alert[] = [];
  for (const e of events) {
    const d = await engine.detect(e, 'live');
    if (d.alert) alerts.push(d.alert);
  }
  return alerts;
}

/** s3rver accepts only its built-in key pair. */
export function s3rverClient(endpoint: string): S3Client {
  return new Client({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export function byEventId(a: Alert, b: Alert): number {
  return a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
}

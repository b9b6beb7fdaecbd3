import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeRecord } from '@firstseen/core';
import {
  type CloudTrailRecord,
  cloudTrailObjectKey,
  createOrganization,
  generateEvents,
  toCloudTrailFiles,
  writeCloudTrailS3Layout,
  writeNdjson,
} from '../../src';

const org = createOrganization({ seed: 'writers' });
const START = Date.UTC(2024, 3, 2, 10);
const events = (): CloudTrailRecord[] => [
  ...generateEvents(org, { start: START, end: START + 3_600_000, eventsPerDay: 40_000 }),
];

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const KEY =
  /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d\d)\/(\d\d)\/\1_CloudTrail_\2_(\d{8}T\d{4}Z)_[A-Za-z0-9]{16}\.json\.gz$/;

describe('cloudTrailObjectKey()', () => {
  it('follows the CloudTrail S3 layout, dated by delivery time', () => {
    expect(
      cloudTrailObjectKey('111122223333', 'eu-west-1', Date.UTC(2024, 0, 5, 23, 5), 'AbCdEfGhIjKlMnOp'),
    ).toBe(
      'AWSLogs/111122223333/CloudTrail/eu-west-1/2024/01/05/111122223333_CloudTrail_eu-west-1_20240105T2305Z_AbCdEfGhIjKlMnOp.json.gz',
    );
  });
});

describe('toCloudTrailFiles()', () => {
  it('groups records by account, region and five-minute delivery window', () => {
    const files = [...toCloudTrailFiles(events())];
    expect(files.length).toBeGreaterThan(12);
    for (const f of files) {
      expect(f.key).toMatch(KEY);
      expect(f.deliveredAt % 300_000).toBe(0);
      for (const r of f.records) {
        expect(r.recipientAccountId).toBe(f.account);
        expect(r.awsRegion).toBe(f.region);
        const t = Date.parse(r.eventTime);
        expect(t).toBeLessThan(f.deliveredAt);
        expect(t).toBeGreaterThanOrEqual(f.deliveredAt - 300_000);
      }
    }
  });
});

describe('writeCloudTrailS3Layout()', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'firstseen-gen-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes gzipped {"Records":[...]} files that firstseen decodes, holding every record once', () => {
    const input = events();
    const stats = writeCloudTrailS3Layout(input, { dir });
    const paths = walk(dir);
    expect(paths).toHaveLength(stats.files);
    const ids: string[] = [];
    for (const p of paths) {
      expect(relative(dir, p)).toMatch(KEY);
      const bytes = readFileSync(p);
      const doc = JSON.parse(gunzipSync(bytes).toString('utf8')) as { Records: CloudTrailRecord[] };
      ids.push(...doc.Records.map((r) => r.eventID));
      const decoded = decodeRecord(bytes);
      expect(decoded).toHaveLength(doc.Records.length);
      expect(decoded.some((d) => d.outcome === 'invalid')).toBe(false);
    }
    expect(stats.records).toBe(input.length);
    expect(ids.sort()).toEqual(input.map((r) => r.eventID).sort());
  });

  it('writes NDJSON of bare records or EventBridge envelopes', async () => {
    const input = events().slice(0, 300);
    const bare = join(dir, 'bare.ndjson');
    const wrapped = join(dir, 'wrapped.ndjson');
    expect(await writeNdjson(input, bare)).toBe(300);
    await writeNdjson(input, wrapped, { envelope: true });
    const bareLines = readFileSync(bare, 'utf8').trimEnd().split('\n');
    const wrappedLines = readFileSync(wrapped, 'utf8').trimEnd().split('\n');
    expect(bareLines.map((l) => JSON.parse(l).eventID)).toEqual(input.map((r) => r.eventID));
    expect(wrappedLines.map((l) => JSON.parse(l).detail.eventID)).toEqual(input.map((r) => r.eventID));
    // Envelopes carry an aws.* source, as only AWS can publish: the detector would drop others.
    for (const line of wrappedLines) {
      expect(JSON.parse(line).source).toMatch(/^aws\./);
      expect(decodeRecord(line).map((d) => d.outcome === 'ignored' && d.reason)).not.toContain(
        'untrusted-source',
      );
    }
  });
});

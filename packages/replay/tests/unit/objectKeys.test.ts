import { isSkippedKey, parseObjectKey } from '../../src';
import { compareObjectKeys, isDataFile, keyMayMatch } from '../../src/objectKeys';

const KEY =
  'AWSLogs/o-abc123def4/111122223333/CloudTrail/eu-west-1/2024/03/05/111122223333_CloudTrail_eu-west-1_20240305T1215Z_AbC.json.gz';
const DAY = 86_400_000;

describe('parseObjectKey()', () => {
  it('reads account, region, date folder and delivery time from a key with an organization id', () => {
    expect(parseObjectKey(`logs/${KEY}`)).toEqual({
      account: '111122223333',
      region: 'eu-west-1',
      day: Date.UTC(2024, 2, 5),
      delivery: '20240305T1215Z',
    });
  });

  it('gives only an empty delivery time for a key outside the layout', () => {
    expect(parseObjectKey('exports/events.ndjson')).toEqual({ delivery: '' });
  });
});

describe('isSkippedKey() and isDataFile()', () => {
  it('skips digest and insight deliveries and reads json, ndjson, gzipped or not', () => {
    expect(isSkippedKey('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/x.json.gz')).toBe(true);
    expect(isSkippedKey('AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/01/x.json.gz')).toBe(true);
    expect(isSkippedKey(KEY)).toBe(false);
    // Written by `npm run generate` beside the CloudTrail it generates: not a record.
    expect(isSkippedKey('ground-truth.json')).toBe(true);
    expect(isSkippedKey('out/ground-truth.json')).toBe(true);
    expect(isSkippedKey('out/not-ground-truth.json.gz')).toBe(false);
    expect(['a.json', 'a.json.gz', 'a.ndjson', 'a.ndjson.gz'].every(isDataFile)).toBe(true);
    expect(['a.md', 'a.json.gz.tmp', 'a.gz'].some(isDataFile)).toBe(false);
  });
});

describe('keyMayMatch()', () => {
  const info = parseObjectKey(KEY);

  it('rejects other accounts and regions before download', () => {
    expect(keyMayMatch(info, { accounts: ['444455556666'] })).toBe(false);
    expect(keyMayMatch(info, { regions: ['us-east-1'] })).toBe(false);
    expect(keyMayMatch(info, { accounts: ['111122223333'], regions: ['eu-west-1'] })).toBe(true);
  });

  it('keeps a date folder one day past --to and one day before --from', () => {
    const folder = Date.UTC(2024, 2, 5);
    expect(keyMayMatch(info, { to: folder })).toBe(true);
    expect(keyMayMatch(info, { to: folder - DAY })).toBe(false);
    expect(keyMayMatch(info, { from: folder + 2 * DAY - 1 })).toBe(true);
    expect(keyMayMatch(info, { from: folder + 2 * DAY })).toBe(false);
  });
});

describe('compareObjectKeys()', () => {
  it('orders by delivery time across prefixes, then by key', () => {
    const keys = [
      { key: 'AWSLogs/2/CloudTrail/us-east-1/x_20240101T0010Z_a.json.gz', delivery: '20240101T0010Z' },
      { key: 'AWSLogs/1/CloudTrail/us-east-1/x_20240101T0015Z_a.json.gz', delivery: '20240101T0015Z' },
      { key: 'AWSLogs/1/CloudTrail/eu-west-1/x_20240101T0010Z_a.json.gz', delivery: '20240101T0010Z' },
    ];
    expect([...keys].sort(compareObjectKeys).map((k) => k.key)).toEqual([
      keys[2]!.key,
      keys[0]!.key,
      keys[1]!.key,
    ]);
  });
});

import { type ConfigInput, parseConfig } from '../../src/config';
import { createSuppressionCheck } from '../../src/createSuppressionCheck';
import { createKeyCache, DetectionEngine } from '../../src/DetectionEngine';
import { decodeRecord } from '../../src/decodeRecord';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';
import { InMemorySuppressionStore } from '../../src/InMemorySuppressionStore';
import { describeNoAlert, ignoredReason, type NoAlertReason } from '../../src/noAlertReason';
import type { Suppression } from '../../src/suppression';
import { day, observed, T0 } from '../helpers/observedEvent';

// "Why nothing alerted" (issue 25): every event that produced no alert carries the reason as data,
// and describeNoAlert renders each one for a person.

async function setup(config: ConfigInput = {}, suppressions: Suppression[] = []) {
  const store = new InMemorySuppressionStore();
  for (const s of suppressions) await store.put(s);
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig(config),
    cache: createKeyCache({ maxKeys: 100 }),
    suppressed: createSuppressionCheck({ store, at: 'event', ttlMs: 0 }),
  });
  return engine;
}

describe('Detection.why', () => {
  it('says a call whose keys are all known is already known', async () => {
    const engine = await setup({ burnInDays: 0 });
    expect((await engine.detect(observed({ id: 'a' }))).alert).toBeDefined();
    const again = await engine.detect(observed({ id: 'b', at: 0.1 }));
    expect(again.fired).toEqual([]);
    expect(again.why).toEqual({ code: 'known' });
    expect(describeNoAlert(again.why!)).toBe(
      'already known: every level key of this call is in the baseline',
    );
  });

  it('says burn-in held the alert back and until when', async () => {
    const engine = await setup({ burnInDays: 14 });
    const d = await engine.detect(observed({ id: 'a', at: 1 }));
    expect(d.fired.length).toBeGreaterThan(0);
    expect(d.alert).toBeUndefined();
    expect(d.why).toEqual({
      code: 'burn-in',
      firstSighting: new Date(day(1)).toISOString(),
      until: new Date(day(15)).toISOString(),
    });
    expect(describeNoAlert(d.why!)).toBe(
      'burn-in until 2024-01-16T00:00:00.000Z (principal first seen 2024-01-02T00:00:00.000Z; burnInDays)',
    );
  });

  it('says a seed learns without alerting', async () => {
    const engine = await setup({ burnInDays: 0 });
    const d = await engine.detect(observed({ id: 'a' }), 'seed');
    expect(d.why).toEqual({ code: 'seed' });
    expect(describeNoAlert(d.why!)).toBe('seed replay: keys are learned without alerting');
  });

  it('names the suppression that held the alert back (id, scope, who, until)', async () => {
    const s: Suppression = {
      principal: 'role/deploy',
      id: 'abc123',
      action: 's3.amazonaws.com:ListBuckets',
      expiresAt: T0 + 30 * 86_400_000,
      createdAt: T0,
      createdBy: 'U0ALICE',
      reason: 'expected',
    };
    const engine = await setup({ burnInDays: 0 }, [s]);
    const d = await engine.detect(observed({ id: 'a', at: 1 }));
    expect(d.alert).toBeUndefined();
    expect(d.why).toEqual({
      code: 'suppression',
      suppressionId: 'abc123',
      principal: 'role/deploy',
      action: 's3.amazonaws.com:ListBuckets',
      expiresAt: '2024-01-31T00:00:00.000Z',
      createdBy: 'U0ALICE',
      reason: 'expected',
    });
    expect(describeNoAlert(d.why!)).toBe(
      'suppressed by suppression "abc123" of "role/deploy" (action "s3.amazonaws.com:ListBuckets"; expected by "U0ALICE", until 2024-01-31T00:00:00.000Z)',
    );
  });

  it('has no reason when there is an alert', async () => {
    const engine = await setup({ burnInDays: 0 });
    const d = await engine.detect(observed({ id: 'a' }));
    expect(d.alert).toBeDefined();
    expect(d.why).toBeUndefined();
  });
});

describe('ignoredReason()', () => {
  it('names the ignore rule and its glob for a record an ignore rule dropped', () => {
    const record = {
      eventVersion: '1.08',
      eventID: 'ev-1',
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: 'ec2.amazonaws.com',
      eventName: 'DescribeInstances',
      awsRegion: 'us-east-1',
      recipientAccountId: '111122223333',
      userIdentity: {
        type: 'AssumedRole',
        arn: 'arn:aws:sts::111122223333:assumed-role/ci-runner/build-1',
        accountId: '111122223333',
      },
    };
    const [decoded] = decodeRecord(JSON.stringify(record), {
      ignore: { principals: ['role/other', 'role/ci-*'] },
    });
    if (decoded?.outcome !== 'ignored') throw new Error(`expected ignored, got ${decoded?.outcome}`);
    const why = ignoredReason(decoded);
    expect(why).toEqual({
      code: 'ignored',
      reason: 'ignore-rule',
      detail: 'matched ignore.principals[1] "role/ci-*"',
    });
    expect(describeNoAlert(why)).toBe('ignored by ignore.principals[1] "role/ci-*"');
  });

  it('renders other ignore reasons with their detail, inert', () => {
    const why: NoAlertReason = { code: 'ignored', reason: 'read-only', detail: 'x\u001b[31m' };
    expect(describeNoAlert(why)).toBe('ignored (read-only: "x\\u001b[31m")');
  });
});

import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { decodeRecord } from '@firstseen/core';
import { type CloudTrailRecord, createOrganization, GeneratorOptionsError, generateEvents } from '../../src';

// A Monday, so that business hours are in the sample.
const START = Date.UTC(2024, 3, 1);
const HOUR = 3_600_000;

function take(it: Iterable<CloudTrailRecord>, n: number): CloudTrailRecord[] {
  const out: CloudTrailRecord[] = [];
  for (const r of it) {
    out.push(r);
    if (out.length === n) break;
  }
  return out;
}

describe('generateEvents()', () => {
  const org = createOrganization({ seed: 'unit' });

  it('yields identical events for the same seed', () => {
    const a = take(generateEvents(org, { start: START, days: 1 }), 2000);
    const b = take(generateEvents(createOrganization({ seed: 'unit' }), { start: START, days: 1 }), 2000);
    expect(a).toHaveLength(2000);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('yields different events for a different seed', () => {
    const a = take(generateEvents(org, { start: START, days: 1 }), 200);
    const b = take(generateEvents(createOrganization({ seed: 'other' }), { start: START, days: 1 }), 200);
    expect(b.map((r) => r.eventID)).not.toEqual(a.map((r) => r.eventID));
    expect(new Set([...a, ...b].map((r) => r.eventID)).size).toBe(400);
  });

  it('yields events in time order inside the period', () => {
    const events = [...generateEvents(org, { start: START + 30_000, end: START + 6 * HOUR })];
    expect(events.length).toBeGreaterThan(500);
    const times = events.map((r) => Date.parse(r.eventTime));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(times[0]!).toBeGreaterThanOrEqual(START + 30_000);
    expect(times.at(-1)!).toBeLessThan(START + 6 * HOUR);
  });

  it('yields the same events for a sub-period as the whole period has there', () => {
    const whole = [...generateEvents(org, { start: START, end: START + 2 * HOUR })];
    const split = START + HOUR + 90_500;
    const tail = [...generateEvents(org, { start: split, end: START + 2 * HOUR })];
    const expected = whole.filter((r) => Date.parse(r.eventTime) >= split);
    expect(tail.map((r) => r.eventID)).toEqual(expected.map((r) => r.eventID));
  });

  it('scales to the requested events per day', () => {
    let n = 0;
    // A whole week, so that quiet weekends and busy weekdays average out.
    for (const _ of generateEvents(org, { start: START, days: 7, eventsPerDay: 600 })) n++;
    expect(n).toBeGreaterThan(600 * 7 * 0.9);
    expect(n).toBeLessThan(600 * 7 * 1.1);
  });

  it('produces records that firstseen decodes, with the principal each identity should map to', () => {
    const byArnRole = new Map(org.principals.map((p) => [p.name, p]));
    const outcomes = { observed: 0, ignored: 0, invalid: 0 };
    for (const r of take(generateEvents(org, { start: START + 9 * HOUR, days: 1 }), 1500)) {
      const [d] = decodeRecord(JSON.stringify(r));
      outcomes[d!.outcome]++;
      if (d!.outcome === 'observed') {
        expect(org.observedPrincipals).toContain(d!.event.principal);
        expect(d!.event.eventId).toBe(r.eventID);
      } else if (d!.outcome === 'ignored') {
        const identity = r.userIdentity as {
          type: string;
          sessionContext?: { sessionIssuer?: { userName?: string } };
        };
        const name = identity.sessionContext?.sessionIssuer?.userName;
        const kind = identity.type === 'AWSService' ? 'aws-service' : byArnRole.get(name ?? '')?.kind;
        expect(['aws-service', 'service-linked']).toContain(kind);
      }
    }
    expect(outcomes.invalid).toBe(0);
    expect(outcomes.observed).toBeGreaterThan(outcomes.ignored);
    expect(outcomes.ignored).toBeGreaterThan(0);
  });

  it('has the full CloudTrail shape, readOnly by operation and occasional benign errors', () => {
    const events = take(
      generateEvents(org, { start: START + 9 * HOUR, days: 1, eventsPerDay: 50_000 }),
      20_000,
    );
    for (const r of events.slice(0, 500)) {
      expect(r).toEqual(
        expect.objectContaining({
          eventVersion: expect.any(String),
          eventType: expect.stringMatching(/^(AwsApiCall|AwsConsoleSignIn)$/),
          eventCategory: expect.stringMatching(/^(Management|Data)$/),
          managementEvent: r.eventCategory === 'Management',
          readOnly: expect.any(Boolean),
          responseElements: r.eventName === 'ConsoleLogin' ? { ConsoleLogin: 'Success' } : null,
          requestID: expect.stringMatching(/^[0-9a-f-]{36}$/),
        }),
      );
      expect(r.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(r.eventTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      if (r.eventName.startsWith('Describe') || r.eventName.startsWith('List')) expect(r.readOnly).toBe(true);
      if (/^(Put|Delete|Create|Update)/.test(r.eventName)) expect(r.readOnly).toBe(false);
    }
    const roles = events.filter((r) => (r.userIdentity as { type: string }).type === 'AssumedRole');
    const issuer = (roles[0]!.userIdentity as { sessionContext: { sessionIssuer: Record<string, string> } })
      .sessionContext.sessionIssuer;
    expect(issuer.arn).toMatch(/^arn:aws:iam::\d{12}:role\//);
    const failed = events.filter((r) => typeof r.errorCode === 'string');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.length).toBeLessThan(events.length * 0.03);
    expect(new Set(events.map((r) => r.awsRegion)).size).toBeGreaterThanOrEqual(3);
    const agents = events.map((r) => String(r.userAgent));
    for (const prefix of [
      'aws-sdk-js/3.',
      'Boto3/1.',
      'console.amazonaws.com',
      'aws-cli/2.',
      'APN/1.0 HashiCorp',
    ]) {
      expect(agents.some((a) => a.startsWith(prefix))).toBe(true);
    }
    expect(events.some((r) => String(r.sourceIPAddress).startsWith('10.'))).toBe(true);
    expect(
      events.some((r) => String((r.userIdentity as { arn?: string }).arn).includes('@example.com')),
    ).toBe(true);
  });

  it('has at least 50 principals at the benchmark rate (1,000,000 events over 14 days)', () => {
    const principals = new Set<string>();
    const identities = new Set<string>();
    for (const r of generateEvents(org, { start: START, days: 1, eventsPerDay: 1_000_000 / 14 })) {
      // Decode one record per identity (role in an account, user, root): decoding is the slow part.
      const u = r.userIdentity as {
        arn?: string;
        type: string;
        sessionContext?: { sessionIssuer?: { arn?: string } };
      };
      const identity = u.sessionContext?.sessionIssuer?.arn ?? u.arn ?? u.type;
      if (identities.has(identity)) continue;
      identities.add(identity);
      const [d] = decodeRecord(JSON.stringify(r));
      if (d!.outcome === 'observed') principals.add(d!.event.principal);
    }
    expect(principals.size).toBeGreaterThanOrEqual(50);
  });

  it('gives each principal a skewed (Zipf-like) action mix', () => {
    const counts = new Map<string, Map<string, number>>();
    for (const r of generateEvents(org, { start: START, days: 1, eventsPerDay: 10_000 })) {
      const issuer = (r.userIdentity as { sessionContext?: { sessionIssuer?: { userName?: string } } })
        .sessionContext?.sessionIssuer?.userName;
      if (!issuer) continue;
      const m = counts.get(issuer) ?? new Map<string, number>();
      const action = `${r.eventSource}:${r.eventName}`;
      m.set(action, (m.get(action) ?? 0) + 1);
      counts.set(issuer, m);
    }
    const busiest = [...counts.values()].sort((a, b) => total(b) - total(a)).slice(0, 5);
    for (const m of busiest) {
      const sorted = [...m.values()].sort((a, b) => b - a);
      const share = sorted[0]! / total(m);
      expect(share).toBeGreaterThan(0.15);
      expect(sorted[0]!).toBeGreaterThan(4 * sorted[Math.floor(sorted.length / 2)]!);
    }
  });

  it('follows business hours for people and runs steadily for services', () => {
    const humans = new Array<number>(24).fill(0);
    const services = new Array<number>(24).fill(0);
    for (const r of generateEvents(org, { start: START, days: 3, eventsPerDay: 4000 })) {
      const person = String((r.userIdentity as { arn?: string }).arn).includes('@');
      (person ? humans : services)[Number(r.eventTime.slice(11, 13))]!++;
    }
    const night = humans.slice(0, 5).reduce((a, b) => a + b, 0);
    const day = humans.slice(13, 18).reduce((a, b) => a + b, 0);
    expect(day).toBeGreaterThan(10 * Math.max(night, 1));
    expect(Math.min(...services)).toBeGreaterThan(0.3 * Math.max(...services));
  });

  it('does not accumulate events in memory while iterating', () => {
    // Heap figures without a collection count whatever garbage V8 has not reclaimed yet (over
    // 300 MB seen under load), so collect before both readings.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    let n = 0;
    let before = 0;
    for (const _ of generateEvents(org, { start: START, days: 2, eventsPerDay: 100_000 })) {
      n++;
      if (n === 20_000) {
        gc();
        before = process.memoryUsage().heapUsed;
      }
      if (n === 200_000) break;
    }
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    expect(n).toBe(200_000);
    // 180,000 retained records take about 317 MB (measured by keeping them).
    expect(growth).toBeLessThan(60 * 1024 * 1024);
  });

  it('rejects a period that ends before it starts', () => {
    expect(() => generateEvents(org, { start: START, end: START - 1 }).next()).toThrow(GeneratorOptionsError);
    expect(() => generateEvents(org, { start: START }).next()).toThrow(/days or end/);
  });
});

function total(m: Map<string, number>): number {
  let t = 0;
  for (const v of m.values()) t += v;
  return t;
}

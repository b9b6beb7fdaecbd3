import { decodeRecord } from '@firstseen/core';
import { createOrganization, generateEvents } from '@firstseen/generator';
import { seededRandom } from '../../src/random';
import { planPuts } from '../../src/workload/planPuts';
import { digestOf, POISON_KINDS, poisonRecord } from '../../src/workload/poisonRecords';

const org = createOrganization({ seed: 7 });
const start = Date.parse('2024-06-03T00:00:00Z');
const events = [
  ...generateEvents(org, { start, end: start + 4 * 3_600_000, eventsPerDay: 6_000 }),
] as unknown as Record<string, unknown>[];

describe('poisonRecord()', () => {
  it.each(POISON_KINDS)('makes a %s record that the decoder rejects as invalid', (kind) => {
    const p = poisonRecord(kind, 1, events[0]!);
    const outcomes = decodeRecord(p.data, {});
    expect(outcomes.map((o) => o.outcome)).toEqual(['invalid']);
  });

  it('makes records of distinct content for distinct numbers', () => {
    const digests = POISON_KINDS.flatMap((k) => [1, 2].map((n) => poisonRecord(k, n, events[0]!).digest));
    expect(new Set(digests).size).toBe(digests.length);
    expect(poisonRecord('bad-json', 3, events[0]!).digest).toBe(
      digestOf(poisonRecord('bad-json', 3, events[0]!).data),
    );
  });
});

describe('planPuts()', () => {
  const plan = planPuts(events, seededRandom(1), 0.05);

  it('puts every event 1 to 3 times and each poison record at least once', () => {
    const counts = new Map<string, number>();
    for (const p of plan.puts) {
      const key = p.eventId ?? p.poison!.digest;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(events.length + plan.poison.length);
    expect(Math.min(...counts.values())).toBe(1);
    expect(Math.max(...counts.values())).toBe(3);
    expect(plan.puts.length).toBe(events.length + plan.poison.length + plan.duplicates);
  });

  it('puts an event for the first time in generation order', () => {
    const firstSeen: string[] = [];
    const seen = new Set<string>();
    for (const p of plan.puts) {
      if (p.eventId !== undefined && !seen.has(p.eventId)) {
        seen.add(p.eventId);
        firstSeen.push(p.eventId);
      }
    }
    expect(firstSeen).toEqual(events.map((e) => e.eventID));
  });

  it('injects about 5% poison records, cycling through every kind', () => {
    expect(plan.poison.length / events.length).toBeGreaterThan(0.02);
    expect(plan.poison.length / events.length).toBeLessThan(0.09);
    expect(new Set(plan.poison.map((p) => p.kind))).toEqual(new Set(POISON_KINDS));
  });

  it('puts every event in an envelope with an aws.* source, as only AWS can publish', () => {
    const events = plan.puts.filter((p) => p.eventId !== undefined);
    expect(events.length).toBeGreaterThan(0);
    for (const p of events) {
      expect(decodeRecord(p.data, {}).map((d) => d.outcome === 'ignored' && d.reason)).not.toContain(
        'untrusted-source',
      );
    }
  });

  it('is the same plan for the same seed', () => {
    const again = planPuts(events, seededRandom(1), 0.05);
    expect(again.puts.map((p) => digestOf(p.data))).toEqual(plan.puts.map((p) => digestOf(p.data)));
  });
});

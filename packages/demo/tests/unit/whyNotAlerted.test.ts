import {
  createSuppressionCheck,
  DetectionEngine,
  decodeRecord,
  InMemoryBaselineStore,
  InMemorySuppressionStore,
  ignoredReason,
  type NoAlertReason,
  type ObservedEvent,
  parseConfig,
} from '@firstseen/core';
import type { GroundTruthEntry } from '@firstseen/generator';
import { cloudTrailRecord } from '@firstseen/test-support';
import { demoContext } from '../../src/context';
import { expectAlerts } from '../../src/phases/expectAlerts';
import { planTraffic } from '../../src/phases/planTraffic';
import { formatSummary, summarise } from '../../src/summary';

// `npm start` prints, under each injected scenario that missed, why each event did not alert:
// the reference engine's Detection.why (or the decoder's ignore rule), rendered by core.

function observed(eventId: string, over: Partial<ObservedEvent> = {}): ObservedEvent {
  const [d] = decodeRecord(JSON.stringify(cloudTrailRecord({ eventId, eventName: 'ListRoles' })));
  if (d?.outcome !== 'observed') throw new Error('fixture not observed');
  return { ...d.event, ...over };
}

function scenario(name: string, eventIds: string[]): GroundTruthEntry {
  return {
    scenario: name as GroundTruthEntry['scenario'],
    label: name,
    principal: 'role/deploy',
    account: '111122223333',
    region: 'us-east-1',
    actions: ['iam.amazonaws.com:ListRoles'],
    eventIds,
    expectedLevels: ['role'],
    events: eventIds.map((eventId) => ({
      eventId,
      eventTime: '2024-05-01T12:00:00Z',
      action: 'iam.amazonaws.com:ListRoles',
      expectedLevels: ['role'],
      expectedSeverity: 'medium',
    })),
    relatedEventIds: [],
  };
}

async function reasons(): Promise<Map<string, NoAlertReason>> {
  const whyNot = new Map<string, NoAlertReason>();
  const inBurnIn = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 14 }),
  });
  whyNot.set('burn', (await inBurnIn.detect(observed('burn'))).why!);

  const suppressions = new InMemorySuppressionStore();
  await suppressions.put({
    principal: 'role/deploy',
    id: 'principal-wide',
    expiresAt: Date.parse('2024-06-01T00:00:00Z'),
    createdAt: 0,
    createdBy: 'U0ALICE',
    reason: 'snooze',
  });
  const snoozed = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 0 }),
    suppressed: createSuppressionCheck({ store: suppressions, at: 'event', ttlMs: 0 }),
  });
  whyNot.set('snoozed', (await snoozed.detect(observed('snoozed'))).why!);
  const known = await snoozed.detect(observed('known', { time: Date.parse('2024-07-01T00:00:00Z') }));
  whyNot.set('known', known.why!);

  const [ignored] = decodeRecord(JSON.stringify(cloudTrailRecord({ eventId: 'ign' })), {
    ignore: { principals: ['role/dep*'] },
  });
  if (ignored?.outcome !== 'ignored') throw new Error('fixture not ignored');
  whyNot.set('ign', ignoredReason(ignored));
  return whyNot;
}

describe('the summary of npm start', () => {
  it('prints why each injected event that missed did not alert', async () => {
    const s = summarise({
      truth: [scenario('quiet', ['burn', 'snoozed', 'known', 'ign']), scenario('lost', ['lost'])],
      deliveries: [],
      expected: new Map(),
      published: [],
      liveMs: 1000,
      liveEvents: 5,
      seed: { historyEvents: 0, keys: 0, principals: 0, ms: 0 },
      whyNot: await reasons(),
    });
    const text = formatSummary(s, false, 1000);

    expect(text).toContain('  MISS quiet          4 -> 0   role/deploy: quiet\n');
    expect(text).toContain(
      '         iam.amazonaws.com:ListRoles (burn): burn-in until 2024-05-15T12:00:00.000Z (principal first seen 2024-05-01T12:00:00.000Z; burnInDays)\n',
    );
    expect(text).toContain(
      '         iam.amazonaws.com:ListRoles (snoozed): suppressed by suppression "principal-wide" of "role/deploy" (every non-sensitive action; snooze by "U0ALICE", until 2024-06-01T00:00:00.000Z)\n',
    );
    expect(text).toContain(
      '         iam.amazonaws.com:ListRoles (known): already known: every level key of this call is in the baseline\n',
    );
    expect(text).toContain(
      '         iam.amazonaws.com:ListRoles (ign): ignored by ignore.principals[0] "role/dep*"\n',
    );
    expect(text).toContain('         iam.amazonaws.com:ListRoles (lost): no alert, and no reason recorded\n');
  });

  it('prints nothing more for a scenario that alerted', () => {
    const s = summarise({
      truth: [scenario('fine', ['a'])],
      deliveries: [
        {
          alertId: 'a',
          levels: ['role'],
          severity: 'medium',
          principal: 'role/deploy',
          action: 'x',
          deliveredAt: 1,
        },
      ],
      expected: new Map(),
      published: [],
      liveMs: 1000,
      liveEvents: 1,
      seed: { historyEvents: 0, keys: 0, principals: 0, ms: 0 },
    });
    expect(s.scenarios[0]!.missed).toEqual([]);
    expect(formatSummary(s, true, 1000)).toContain('  ok   fine           1 -> 1   role/deploy: fine\n\n');
  });
});

describe('expectAlerts() with --why', () => {
  // The demo's own traffic through a fresh reference engine: with no seeded baseline every
  // principal is in burn-in, so every non-sensitive first occurrence fires levels quietly.
  async function live(why: boolean) {
    const ctx = demoContext({
      why,
      liveMinutes: 30,
      liveEventsPerDay: 2000,
      write: () => {},
    });
    const config = parseConfig({ burnInDays: 14 });
    const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
    return expectAlerts(ctx, config, planTraffic(ctx, config), engine);
  }

  it('counts the live events whose levels fired without an alert, per reason, the first in full', async () => {
    const { quiet, whyNot } = await live(true);
    expect(quiet!.total).toBeGreaterThan(0);
    expect(quiet!.byReason).toEqual({ 'burn-in': quiet!.total });
    expect(quiet!.first.length).toBe(Math.min(20, quiet!.total));
    expect(quiet!.first[0]!.why).toMatch(/^burn-in until \d{4}-\d\d-\d\dT/);
    expect([...whyNot.values()].some((w) => w.code === 'burn-in')).toBe(true);
  });

  it('keeps no list without --why', async () => {
    expect((await live(false)).quiet).toBeUndefined();
  });

  it('prints the list in the summary', () => {
    const s = summarise({
      truth: [],
      deliveries: [],
      expected: new Map(),
      published: [],
      liveMs: 1000,
      liveEvents: 3,
      seed: { historyEvents: 0, keys: 0, principals: 0, ms: 0 },
      quiet: {
        total: 3,
        byReason: { 'burn-in': 2, suppression: 1 },
        first: [
          {
            eventId: 'e',
            principal: 'role/x\u001b[2J',
            action: 'a:B',
            levels: ['role'],
            why: 'burn-in until T',
          },
        ],
      },
    });
    const text = formatSummary(s, true, 1000);
    expect(text).toContain('Levels fired without an alert (--why): 3 (burn-in 2, suppression 1)\n');
    expect(text).toContain('  role/x?[2J a:B [role]: burn-in until T\n  ... and 2 more\n');
  });
});

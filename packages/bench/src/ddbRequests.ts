import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type Config,
  classifyRecord,
  DAY_MS,
  DetectionEngine,
  decodeOptionsFromConfig,
  InMemoryBaselineStore,
  levelKeys,
  levelOfPk,
  type ObservedEvent,
} from '@firstseen/core';
import { attachRequestCounter, DynamoBaselineStore } from '@firstseen/dynamodb-store';
import { Explainer, InMemoryExplainStore } from '@firstseen/explain';
import { createDynamoDbClient, createTables, startDynamoDbLocal } from '@firstseen/local-stack';
import { CountingBaselineStore, type StoreMethod } from './CountingBaselineStore';
import { BenchmarkAssertionError } from './errors';
import { HourlyRoleJob, PerEventDetector } from './HourlyRoleJob';
import { monthlyCostUsd, ON_DEMAND_PRICES } from './pricing';
import { type FloorCounts, RequestFloor } from './requestFloor';

export interface DdbRequestsResult {
  events: number;
  observed: number;
  /**
   * Requests per 1,000 events of the stream (every record, observed or not). `firstseenExplain`:
   * firstseen's engine requests plus the explainer's store requests (explanations on).
   */
  per1kEvents: {
    firstseen: number;
    firstseenExplain: number;
    hourlyJob: number;
    perEvent: number;
    floor: number;
  };
  totals: {
    firstseen: Record<StoreMethod, number> & { total: number };
    /** The explainer's store requests (ExplainStore calls: profiles, counters, IAM changes, alert reads). */
    explain: { total: number };
    hourlyJob: { getItem: number; putItem: number; updateItem: number; total: number };
    perEvent: { putItem: number; total: number };
    floor: FloorCounts;
  };
  /** Distinct (account, principal, action) first occurrences; equal for firstseen and the hourly job (asserted). */
  firstOccurrences: number;
  /** Of those, how many the hourly job found in the same hour as firstseen's claim. */
  sameHour: number;
  cacheHitRate: number;
  monthlyCostUsdAt1BEventsPerDay: { firstseen: number; hourlyJob: number; perEvent: number; floor: number };
  prices: typeof ON_DEMAND_PRICES;
}

const HOUR_MS = 3_600_000;

/**
 * Part 2: every observed event through firstseen's real engine (its cache over a counting store
 * over InMemoryBaselineStore), the hourly per-role job and the per-event detector; the floor
 * docs/semantics.md allows is counted independently. Asserts that firstseen's account-level claims and
 * the hourly job's new items are the same keys.
 */
export async function measureDdbRequests(
  values: AsyncIterable<unknown>,
  config: Config,
): Promise<DdbRequestsResult> {
  const retentionMs = config.retentionDays * DAY_MS;
  const store = new CountingBaselineStore(new InMemoryBaselineStore(), true);
  // Explanations on in the same pass: the observer and context never change the engine's own
  // requests (asserted in the explain package's cost test), so `firstseen` is still the plain figure.
  const explainer = new Explainer({ store: new InMemoryExplainStore() });
  const engine = new DetectionEngine({
    store,
    config,
    observer: explainer.observe,
    context: explainer.context,
  });
  const hourly = new HourlyRoleJob(retentionMs);
  const perEvent = new PerEventDetector(retentionMs);
  const floor = new RequestFloor(config.retentionDays, config.windowDays);
  const decodeOptions = decodeOptionsFromConfig(config);
  let events = 0;
  let observed = 0;
  let cacheHits = 0;
  let keyLookups = 0;
  for await (const value of values) {
    events++;
    const d = classifyRecord(value, decodeOptions);
    if (d.outcome !== 'observed') continue;
    observed++;
    const e = d.event;
    const detection = await engine.detect(e, 'live');
    cacheHits += detection.cacheHits;
    keyLookups += 3;
    const pks = levelKeys(e).map((k) => k.pk);
    hourly.add(e, pks[0]!);
    perEvent.add(e, pks);
    floor.add(e);
  }
  hourly.runAll();

  const claimed = new Map([...store.claims].filter(([pk]) => levelOfPk(pk) === 'account'));
  assertSameFirstOccurrences(claimed, hourly.firstOccurrences, 'the hourly job');
  assertSameFirstOccurrences(claimed, perEvent.firstOccurrences, 'the per-event detector');
  let sameHour = 0;
  for (const [pk, t] of claimed) {
    if (Math.floor(t / HOUR_MS) * HOUR_MS === hourly.firstOccurrences.get(pk)) sameHour++;
  }

  const per1k = (n: number) => (events === 0 ? 0 : (n / events) * 1000);
  const fsTotal = store.requests;
  const h = hourly.table;
  const p = perEvent.table;
  const f = floor.counts;
  const per1kEvents = {
    firstseen: per1k(fsTotal),
    firstseenExplain: per1k(fsTotal + explainer.requests),
    hourlyJob: per1k(h.reads + h.writes),
    perEvent: per1k(p.writes),
    floor: per1k(f.total),
  };
  return {
    events,
    observed,
    per1kEvents,
    totals: {
      firstseen: { ...store.counts, total: fsTotal },
      explain: { total: explainer.requests },
      hourlyJob: {
        getItem: h.getItem,
        putItem: h.putItem,
        updateItem: h.updateItem,
        total: h.reads + h.writes,
      },
      perEvent: { putItem: p.putItem, total: p.writes },
      floor: { ...f },
    },
    firstOccurrences: claimed.size,
    sameHour,
    cacheHitRate: keyLookups === 0 ? 0 : cacheHits / keyLookups,
    monthlyCostUsdAt1BEventsPerDay: {
      firstseen: monthlyCostUsd({ writesPer1k: per1k(fsTotal - store.counts.getKey), readsPer1k: 0 }),
      hourlyJob: monthlyCostUsd({ writesPer1k: per1k(h.writes), readsPer1k: per1k(h.reads) }),
      perEvent: monthlyCostUsd({ writesPer1k: per1k(p.writes), readsPer1k: 0 }),
      floor: monthlyCostUsd({ writesPer1k: per1k(f.total), readsPer1k: 0 }),
    },
    prices: ON_DEMAND_PRICES,
  };
}

function assertSameFirstOccurrences(
  ours: Map<string, number>,
  theirs: Map<string, number>,
  who: string,
): void {
  const missing = [...ours.keys()].filter((k) => !theirs.has(k));
  const extra = [...theirs.keys()].filter((k) => !ours.has(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new BenchmarkAssertionError(
      `firstseen and ${who} disagree on first occurrences: ${missing.length} only firstseen found (e.g. ${missing[0] ?? '-'}), ${extra.length} only ${who} found (e.g. ${extra[0] ?? '-'})`,
    );
  }
}

export interface CrossCheckResult {
  events: number;
  counted: number;
  dynamodbLocal: number;
  byCommand: Record<string, number>;
}

/** Observed events of the first `limit` values. */
export async function observedSample(
  values: AsyncIterable<unknown>,
  config: Config,
  limit: number,
): Promise<{ events: number; sample: ObservedEvent[] }> {
  const decodeOptions = decodeOptionsFromConfig(config);
  const sample: ObservedEvent[] = [];
  let events = 0;
  for await (const value of values) {
    if (events >= limit) break;
    events++;
    const d = classifyRecord(value, decodeOptions);
    if (d.outcome === 'observed') sample.push(d.event);
  }
  return { events, sample };
}

/**
 * The same events through two engines: one over the counting store, one over DynamoBaselineStore
 * on DynamoDB Local with attachRequestCounter. The request counts must be equal.
 */
export async function crossCheckWithDynamoDbLocal(
  sample: readonly ObservedEvent[],
  config: Config,
  events = sample.length,
): Promise<CrossCheckResult> {
  const counting = new CountingBaselineStore(new InMemoryBaselineStore());
  const countingEngine = new DetectionEngine({ store: counting, config });
  for (const e of sample) await countingEngine.detect(e, 'live');

  const emulator = await startDynamoDbLocal();
  let client: DynamoDBClient | undefined;
  try {
    client = createDynamoDbClient(emulator.endpoint);
    const tables = await createTables(client, 'bench');
    const counter = attachRequestCounter(client);
    const dynamo = new DynamoBaselineStore({ client, tableName: tables.baseline.tableName });
    const engine = new DetectionEngine({ store: dynamo, config });
    for (const e of sample) await engine.detect(e, 'live');
    const result: CrossCheckResult = {
      events,
      counted: counting.requests,
      dynamodbLocal: counter.count(),
      byCommand: counter.byCommand(),
    };
    if (result.counted !== result.dynamodbLocal) {
      throw new BenchmarkAssertionError(
        `the counting store counted ${result.counted} requests, DynamoDB Local received ${result.dynamodbLocal} (${JSON.stringify(result.byCommand)})`,
      );
    }
    return result;
  } finally {
    client?.destroy();
    await emulator.stop();
  }
}

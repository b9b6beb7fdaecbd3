import { marshall } from '@aws-sdk/util-dynamodb';
import { type Alert, createLogger } from '@firstseen/core';
import { processKinesisBatch } from '@firstseen/detector';
import {
  createDeliverDeps,
  dispatchAlerts,
  InMemoryDeliveryStateStore,
  type PostJson,
} from '@firstseen/notify';
import { inMemoryDetector, slackProblems } from '@firstseen/test-support';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { chaosConfig } from '../../src/chaosConfig';
import { seededRandom } from '../../src/random';
import { corpusRecords, HOSTILE_STRINGS, withHostileFields } from '../helpers/fuzz';

const WEBHOOK = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/webhookSecretValue123';
const ROUTING_KEY = 'pdRoutingKeySecretValue0123456789';
const corpus = corpusRecords();

function streamEvent(items: Record<string, unknown>[]): DynamoDBStreamEvent {
  return {
    Records: items.map(
      (item, i): DynamoDBRecord => ({
        eventID: `e${i}`,
        eventName: 'INSERT',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          SequenceNumber: String(1000 + i),
          NewImage: marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }) as never,
        },
      }),
    ),
  };
}

function dispatcher() {
  const posts: { url: string; body: unknown; raw: string }[] = [];
  const lines: string[] = [];
  const post: PostJson = async (url, body) => {
    posts.push({ url, body, raw: JSON.stringify(body) });
    return url.includes('enqueue')
      ? { status: 202, headers: {}, body: '{"status":"success"}' }
      : { status: 200, headers: {}, body: 'ok' };
  };
  const deps = createDeliverDeps({
    config: chaosConfig('webhook'),
    secrets: new Map([
      ['FIRSTSEEN_SLACK_WEBHOOK_URL', WEBHOOK],
      ['FIRSTSEEN_PAGERDUTY_ROUTING_KEY', ROUTING_KEY],
    ]),
    store: new InMemoryDeliveryStateStore(),
    logger: createLogger({
      name: 'notify',
      level: 'debug',
      destination: { write: (s: string) => void lines.push(s) },
    }),
    post,
    sleep: async () => {},
    random: () => 0.5,
    remainingTimeMs: () => 600_000,
  });
  return { deps, posts, lines };
}

async function hostileAlerts(hostile: string): Promise<Alert[]> {
  const d = inMemoryDetector();
  const records = corpus
    .slice(0, 4)
    .map((r, i) => withHostileFields({ ...r, eventID: `hostile-${i}` }, hostile));
  await processKinesisBatch(
    {
      Records: records.map((r, i) => ({
        kinesis: {
          kinesisSchemaVersion: '1.0',
          partitionKey: 'p',
          sequenceNumber: String(100 + i),
          data: Buffer.from(JSON.stringify(r)).toString('base64'),
          approximateArrivalTimestamp: 1_717_000_000,
        },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `shardId-000000000000:${100 + i}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: 'arn:aws:iam::000000000000:role/test',
        awsRegion: 'us-east-1',
        eventSourceARN: 'arn:aws:kinesis:us-east-1:000000000000:stream/test',
      })),
    },
    d.deps,
  );
  return [...d.outbox.alerts.values()];
}

const FORBIDDEN_IN_PLAIN =
  /[\u0000-\u0008\u000B-\u001F\u007F\u202A-\u202E\u2066-\u2069\u200B-\u200F\uFEFF\n\r\u2028\u2029]/;

function strings(v: unknown, path = ''): { path: string; value: string }[] {
  if (typeof v === 'string') return [{ path, value: v }];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${path}[${i}]`));
  if (v !== null && typeof v === 'object')
    return Object.entries(v).flatMap(([k, x]) => strings(x, `${path}.${k}`));
  return [];
}

describe('dispatchAlerts() with alerts built from hostile CloudTrail fields', () => {
  it.each(HOSTILE_STRINGS.map((s) => [JSON.stringify(s.slice(0, 40)), s]))(
    'renders %s inert in Slack and PagerDuty, in one log line per entry, without secrets',
    async (_name, hostile) => {
      const alerts = await hostileAlerts(hostile);
      expect(alerts.length).toBeGreaterThan(0);
      const { deps, posts, lines } = dispatcher();
      const response = await dispatchAlerts(streamEvent(alerts.map((a) => ({ pk: a.alertId, ...a }))), deps);
      expect(response.batchItemFailures).toEqual([]);
      const slack = posts.filter((p) => p.url === WEBHOOK);
      const pd = posts.filter((p) => p.url.includes('enqueue'));
      expect(slack.length).toBeGreaterThan(0);
      for (const p of slack) expect(slackProblems(p.body as never)).toEqual([]);
      for (const p of pd) {
        expect(p.raw.length).toBeLessThan(512_000);
        expect((p.body as { dedup_key: string }).dedup_key.length).toBeLessThanOrEqual(255);
        // dedup_key is printable ASCII: a hostile principal is hashed into it.
        expect((p.body as { dedup_key: string }).dedup_key).toMatch(/^[\x21-\x7e]+$/);
        for (const s of strings(p.body)) {
          expect({ path: s.path, bad: FORBIDDEN_IN_PLAIN.test(s.value) }).toEqual({
            path: s.path,
            bad: false,
          });
          expect(s.value.length).toBeLessThanOrEqual(1024);
        }
      }
      // Secrets: the webhook URL is never in a payload; the routing key only where PagerDuty needs it.
      for (const p of posts) {
        expect(p.raw).not.toContain('webhookSecretValue123');
        const { routing_key: _key, ...rest } = p.body as Record<string, unknown>;
        expect(JSON.stringify(rest)).not.toContain(ROUTING_KEY);
      }
      expect(lines.length).toBeGreaterThan(0);
      for (const line of lines) {
        expect(line.trimEnd()).not.toMatch(/[\n\r]/);
        expect(typeof JSON.parse(line)).toBe('object');
        expect(line).not.toContain('webhookSecretValue123');
        expect(line).not.toContain(ROUTING_KEY);
      }
    },
  );
});

describe('dispatchAlerts() fuzzed with mutated stream images', () => {
  it('never throws and answers with a partial batch response', async () => {
    const random = seededRandom(3);
    const alerts = await hostileAlerts('plain');
    const base = { pk: alerts[0]!.alertId, ...alerts[0]! } as Record<string, unknown>;
    const values: unknown[] = [
      null,
      '',
      0,
      -1,
      0.5,
      true,
      [],
      {},
      ['x'],
      { a: 1 },
      'x'.repeat(5000),
      HOSTILE_STRINGS[0],
    ];
    for (let batch = 0; batch < 40; batch++) {
      const items = Array.from({ length: 10 }, (_, i) => {
        const item: Record<string, unknown> = { ...base, pk: `a-${batch}-${i}`, alertId: `a-${batch}-${i}` };
        const keys = Object.keys(item);
        for (let m = 0; m < 3; m++) {
          const k = keys[Math.floor(random() * keys.length)]!;
          if (random() < 0.3) delete item[k];
          else item[k] = values[Math.floor(random() * values.length)];
        }
        return item;
      });
      const { deps, lines } = dispatcher();
      const response = await dispatchAlerts(streamEvent(items), deps);
      expect(Array.isArray(response.batchItemFailures)).toBe(true);
      for (const line of lines) expect(typeof JSON.parse(line)).toBe('object');
    }
  });
});

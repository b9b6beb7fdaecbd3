import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type CreatedTables,
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '@firstseen/local-stack';
import { DynamoExplainStore } from '../../src/DynamoExplainStore';
import { Explainer } from '../../src/Explainer';
import type { PrincipalProfile } from '../../src/types';
import { detectionOf, observedEvent } from '../helpers/events';
import { runOrganization } from '../helpers/runOrganization';

const T0 = Date.parse('2100-03-01T12:00:00Z');

let emulator: DynamoDbLocal;
let client: DynamoDBClient;
let tables: CreatedTables;
let store: DynamoExplainStore;
let sent = 0;

beforeAll(async () => {
  emulator = await startDynamoDbLocal();
  client = createDynamoDbClient(emulator.endpoint);
  // Counts every HTTP request the SDK sends, retries included.
  client.middlewareStack.add(
    (next) => async (args) => {
      sent++;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'countRequests' },
  );
  tables = await createTables(client, 'explain');
  store = new DynamoExplainStore({ client, tableName: tables.baseline.tableName });
});

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
});

const profile = (version: number, actionCount = 0): PrincipalProfile => ({
  version,
  actionCount,
  recent: [
    { t: T0, e: 'evt-1', a: 's3.amazonaws.com:GetObject', d: false, f: 0, n: 0 },
    { t: T0 + 1, e: 'evt-2', a: 's3.amazonaws.com:PutObject', d: true },
  ],
  userAgents: [{ k: 'aws-cli', t: T0 }],
  networks: [{ k: '10.0.1.0/24', t: T0 }],
  networksSaturated: false,
  regions: ['us-east-1'],
});

describe('DynamoExplainStore', () => {
  it('round-trips a profile and writes only on the version it read', async () => {
    expect(await store.getProfile('role/rt')).toBeUndefined();
    expect(await store.putProfile('role/rt', profile(1), undefined)).toBe(true);
    expect(await store.putProfile('role/rt', profile(1), undefined)).toBe(false);
    expect(await store.putProfile('role/rt', profile(2, 5), 1)).toBe(true);
    expect(await store.putProfile('role/rt', profile(3), 1)).toBe(false);
    expect(await store.getProfile('role/rt')).toEqual(profile(2, 5));
  });

  it('adds to the prevalence counter only when the profile write succeeds', async () => {
    const action = 'ec2.amazonaws.com:RunInstances';
    expect(await store.putProfile('role/c1', profile(1), undefined, action)).toBe(true);
    expect(await store.putProfile('role/c1', profile(1), undefined, action)).toBe(false);
    expect(await store.putProfile('role/c2', profile(1), undefined, action)).toBe(true);
    expect((await store.readAlertFacts('role/c1', action)).prevalence).toBe(2);
  });

  it('keeps the latest permission change and reads it with the counter in one request', async () => {
    const change = {
      target: 'role/iam-target',
      eventName: 'AttachRolePolicy',
      eventId: 'iam-2',
      time: T0,
      eventTime: new Date(T0).toISOString(),
      actor: 'sso/AdministratorAccess',
      actorSessionName: 'alice@example.com',
      actorNewContext: 'network 198.51.100.0/24',
    };
    await store.recordIamChange(change);
    await store.recordIamChange({ ...change, eventId: 'iam-1', time: T0 - 1000 });
    const before = sent;
    const facts = await store.readAlertFacts('role/iam-target', 'nothing:Counted');
    expect(sent - before).toBe(1);
    expect(facts).toEqual({ prevalence: 0, iamChange: change });
  });

  it('counts 20 concurrent first occurrences of an action by 20 principals exactly, once each under redelivery', async () => {
    const action = 'sqs.amazonaws.com:SendMessage';
    const events = Array.from({ length: 20 }, (_, i) =>
      observedEvent({
        time: T0 + i,
        principal: `role/conc-${i}`,
        eventSource: 'sqs.amazonaws.com',
        eventName: 'SendMessage',
        action,
      }),
    );
    // Two consumers (cold caches) each see every event: a redelivery racing the original.
    const a = new Explainer({ store });
    const b = new Explainer({ store });
    await Promise.all(
      events.flatMap((e) =>
        [a, b].map((x) => x.observe({ event: e, detection: detectionOf(e, ['role']), source: 'live' })),
      ),
    );
    expect((await store.readAlertFacts('role/conc-0', action)).prevalence).toBe(20);
  });

  it("counts a bucket's principals exactly once each under concurrent redelivery, read in one request", async () => {
    const bucket = 'exports#1"]';
    const calls = Array.from({ length: 30 }, (_, i) =>
      store.countBucketPrincipal(bucket, `role/b-${i % 10}`),
    );
    await Promise.all(calls);
    // A principal and bucket whose joined names equal another pair's must not share its marker.
    await store.countBucketPrincipal('exports', '1"]#role/b-0');
    const facts = await store.readAlertFacts('role/b-0', 'nothing:Counted', bucket);
    expect(facts.bucketPrevalence).toBe(10);
    expect((await store.readAlertFacts('role/b-0', 'nothing:Counted', 'exports')).bucketPrevalence).toBe(1);
    expect((await store.readAlertFacts('role/b-0', 'nothing:Counted')).bucketPrevalence).toBeUndefined();
  });

  it('gives the same explanations as the in-memory store on the generated organization', async () => {
    const options = {
      seed: 'explain-dynamo',
      scenarios: [
        'deployment-burst',
        'iam-change-then-new-action',
        'recon-burst',
        'tool-after-deployment',
        'self-granted-policy',
      ] as const,
      eventsPerDay: 80,
    };
    const memory = await runOrganization({ ...options, scenarios: [...options.scenarios] });
    const dynamo = await runOrganization({
      ...options,
      scenarios: [...options.scenarios],
      store: new DynamoExplainStore({
        client,
        tableName: (await createTables(client, 'conformance')).baseline.tableName,
      }),
    });
    expect(dynamo.alerts.size).toBe(memory.alerts.size);
    for (const [id, alert] of memory.alerts) expect(dynamo.alerts.get(id)?.context).toEqual(alert.context);
    // What rests on the stored recent list and permission change is there.
    const reasons = new Set([...dynamo.alerts.values()].map((a) => a.context.reason));
    for (const r of [
      'deployment',
      'iam-change',
      'privilege-escalation',
      'unusual-context',
      'denied',
    ] as const) {
      expect(reasons).toContain(r);
    }
    expect(dynamo.explainer.requests).toBe(memory.explainer.requests);
  });
});

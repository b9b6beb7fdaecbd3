import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  type Alert,
  DetectionEngine,
  decodeRecord,
  InMemoryBaselineStore,
  parseConfig,
} from '@firstseen/core';
import { createBucket, type LocalEmulators, startLocalEmulators } from '@firstseen/local-stack';
import {
  allCorpusLines,
  createTablesWithoutTtl,
  kinesisEvent,
  s3rverClient,
  scanAlerts,
} from '@firstseen/test-support';
import type { KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';

// The default config, then the opt-in resource level on (docs/semantics.md "Levels and keys"):
// the corpus's S3 calls name buckets (an attacker listing and reading one from a stolen
// instance role among them).
const CONFIGS = {
  default: { burnInDays: 0 },
  'levels.resource on': { burnInDays: 0, levels: { resource: true } },
} as const;
type ConfigName = keyof typeof CONFIGS;
// Larger batches give the detector more principals to run side by side (as Lambda would with
// a batch size above 100), which is what keeps this test's wall time down on DynamoDB Local.
const BATCH_SIZE = 500;

// The real corpus (packages/test-support): bare records and EventBridge envelopes, one per line.
function corpusLines(): string[] {
  return allCorpusLines();
}

/** The in-memory engine over the same lines, in order: the first alert per alertId stands. */
async function referenceAlerts(lines: string[], name: ConfigName): Promise<Alert[]> {
  const config = parseConfig(CONFIGS[name]);
  const engine = new DetectionEngine({ store: new InMemoryBaselineStore(), config });
  const alerts = new Map<string, Alert>();
  for (const line of lines) {
    for (const d of decodeRecord(line, { coverage: config.coverage, ignore: config.ignore })) {
      if (d.outcome !== 'observed') continue;
      const { alert } = await engine.detect(d.event, 'live');
      if (alert && !alerts.has(alert.alertId)) alerts.set(alert.alertId, alert);
    }
  }
  return [...alerts.values()].sort((a, b) => a.alertId.localeCompare(b.alertId));
}

let emulators: LocalEmulators;
let dynamodb: DynamoDBClient;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emulators = await startLocalEmulators({ dynamodb: true, s3: true, kinesis: false });
  // DynamoDB Local keeps one database per access key id: create the tables, and later scan them,
  // with the key the handler uses (s3rver's, since the handler has one set of credentials).
  dynamodb = new DynamoDBClient({
    endpoint: emulators.endpoints.dynamodb!,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const s3 = s3rverClient(emulators);
  await createBucket(s3, 'corpus-quarantine');
  s3.destroy();
}, 120_000);

afterAll(async () => {
  process.env = savedEnv;
  dynamodb?.destroy();
  await emulators?.stop();
});

/** A fresh detector handler (its own tables and config file), as one Lambda deployment. */
async function loadHandler(
  name: ConfigName,
  prefix: string,
): Promise<{
  handler: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
  alertsTable: string;
}> {
  const tables = await createTablesWithoutTtl(dynamodb, prefix);
  const configPath = join(mkdtempSync(join(tmpdir(), 'firstseen-handler-')), 'config.json');
  writeFileSync(configPath, JSON.stringify(CONFIGS[name]));
  process.env = {
    ...savedEnv,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_ENDPOINT_URL_DYNAMODB: emulators.endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: emulators.endpoints.s3,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    FIRSTSEEN_S3_FORCE_PATH_STYLE: 'true',
    FIRSTSEEN_BASELINE_TABLE: tables.baseline,
    FIRSTSEEN_ALERTS_TABLE: tables.alerts,
    FIRSTSEEN_QUARANTINE_BUCKET: 'corpus-quarantine',
    FIRSTSEEN_CONFIG_PATH: configPath,
    FIRSTSEEN_LOG_LEVEL: 'silent',
  };
  let handler!: (event: KinesisStreamEvent) => Promise<KinesisStreamBatchResponse>;
  jest.isolateModules(() => {
    ({ handler } = require('../../src/index') as { handler: typeof handler });
  });
  return { handler, alertsTable: tables.alerts };
}

describe.each([
  ['default', 'corpus'],
  ['levels.resource on', 'corpusres'],
] as const)('detector handler over the CloudTrail corpus, config %s', (name, prefix) => {
  it('gives the same alerts against DynamoDB Local as the in-memory engine on the same input', async () => {
    const { handler, alertsTable } = await loadHandler(name, prefix);
    const lines = corpusLines();
    const emf: Record<string, number>[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      if (String(chunk).startsWith('{"_aws"')) emf.push(JSON.parse(String(chunk)) as Record<string, number>);
      return true;
    });
    const failures: KinesisStreamBatchResponse['batchItemFailures'] = [];
    try {
      for (let i = 0; i < lines.length; i += BATCH_SIZE) {
        const event = kinesisEvent(lines.slice(i, i + BATCH_SIZE), { firstSequence: i });
        failures.push(...(await handler(event)).batchItemFailures);
      }
    } finally {
      stdout.mockRestore();
    }

    const expected = await referenceAlerts(lines, name);
    expect(lines.length).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
    expect(emf.reduce((n, m) => n + (m.processingErrors ?? 0), 0)).toBe(0);
    expect(expected.length).toBeGreaterThan(50);
    const resourceAlerts = expected.filter((a) => a.levels.includes('resource'));
    if (name === 'default') {
      // Off by default: no alert has the level or names a resource (today's alerts unchanged).
      expect(resourceAlerts).toEqual([]);
      expect(expected.filter((a) => a.resource !== undefined)).toEqual([]);
    } else {
      expect(resourceAlerts.length).toBeGreaterThan(0);
      for (const a of resourceAlerts) expect(a.resource).toMatch(/^s3:./);
    }
    const stored = await scanAlerts(dynamodb, alertsTable);
    // The deployed detector explains each alert (packages/explain); the reference engine does
    // not, and the cross-principal facts depend on how concurrent principals interleave. So
    // compare the alerts without `context`, and require an explanation on every stored one.
    const withoutContext = (alerts: Alert[]) => alerts.map(({ context: _context, ...rest }) => rest);
    expect(withoutContext(stored)).toEqual(withoutContext(expected));
    for (const alert of stored) expect(typeof alert.context.explanation).toBe('string');
  }, 240_000);
});

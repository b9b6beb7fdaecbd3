import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoAccountDirectory } from '@firstseen/dynamodb-store';
import {
  createDynamoDbClient,
  createTables,
  type DynamoDbLocal,
  startDynamoDbLocal,
} from '@firstseen/local-stack';
import { CORPUS_DIR } from '@firstseen/test-support';

/** replay --out names accounts from the account directory in DynamoDB Local (issue 24). */

const REPO = resolve(__dirname, '../../../..');
const TSX = join(REPO, 'node_modules/.bin/tsx');
const SCRIPT = join(REPO, 'scripts/src/replay.ts');

let emulator: DynamoDbLocal;
let client: DynamoDBClient;
let baselineTable: string;
let tmp: string;
let source: string;
let account: string;

beforeAll(async () => {
  emulator = await startDynamoDbLocal();
  client = createDynamoDbClient(emulator.endpoint);
  baselineTable = (await createTables(client, 'replay-names')).baseline.tableName;
  tmp = mkdtempSync(join(tmpdir(), 'replay-names-'));
  source = join(tmp, 'source');
  mkdirSync(source);
  // A few real records of one corpus file: enough for alerts, quick to replay.
  const lines = readFileSync(join(CORPUS_DIR, 'stratus-red-team-detonation-logs.ndjson'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, 20);
  writeFileSync(join(source, 'events.ndjson'), `${lines.join('\n')}\n`);
  account = JSON.parse(lines[0]!).recipientAccountId;
  await new DynamoAccountDirectory(client, baselineTable).put(
    { [account]: { name: 'stratus-lab', ouPath: 'Sandbox/Labs', tags: { environment: 'dev' } } },
    Date.now(),
  );
}, 60_000);
afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

function replay(args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((done) => {
    execFile(
      TSX,
      [SCRIPT, source, '--mode', 'simulate', '--burn-in-days', '0', ...args],
      { cwd: REPO, env: { ...process.env, FIRSTSEEN_LOG_LEVEL: 'silent' } },
      (err, _stdout, stderr) =>
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
  });
}

const read = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { account: string; accountInfo?: unknown });

describe('npm run replay -- --mode simulate --out with the account directory', () => {
  it('writes each alert with its account name, OU path and tags', async () => {
    const out = join(tmp, 'named.ndjson');
    const run = await replay([
      '--out',
      out,
      '--baseline-table',
      baselineTable,
      '--dynamodb-endpoint-url',
      emulator.endpoint,
    ]);
    expect(run.code).toBe(0);
    const alerts = read(out).filter((a) => a.account === account);
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(a.accountInfo).toEqual({
        name: 'stratus-lab',
        ouPath: 'Sandbox/Labs',
        tags: { environment: 'dev' },
      });
    }
  }, 120_000);

  it('writes account ids only, and says why, when the directory table does not exist', async () => {
    const out = join(tmp, 'ids.ndjson');
    const run = await replay([
      '--out',
      out,
      '--baseline-table',
      'no-such-table',
      '--dynamodb-endpoint-url',
      emulator.endpoint,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('account directory in no-such-table unreadable');
    const alerts = read(out);
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts.every((a) => a.accountInfo === undefined)).toBe(true);
  }, 120_000);
});

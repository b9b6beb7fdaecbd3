import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createOrganization,
  generateEvents,
  planAnomalies,
  splitPeriod,
  writeNdjson,
} from '@firstseen/generator';

const ROOT = resolve(__dirname, '../../../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'explain-replay-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('npm run replay -- FILE --out alerts.ndjson', () => {
  it("writes each alert's context, the denied ones explained as denied", async () => {
    const org = createOrganization({ seed: 'explain-replay' });
    const period = splitPeriod({ liveStart: Date.UTC(2024, 4, 1, 9), historyDays: 16, liveMinutes: 60 });
    const plan = planAnomalies(org, { ...period, scenarios: ['recon-burst', 'deployment-burst'] });
    const input = join(dir, 'events.ndjson');
    await writeNdjson(
      generateEvents(org, { start: period.start, end: period.end, eventsPerDay: 60, anomalies: plan }),
      input,
    );
    const out = join(dir, 'alerts.ndjson');
    await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/tsx'),
      ['scripts/src/replay.ts', input, '--out', out],
      {
        cwd: ROOT,
        env: { ...process.env, FIRSTSEEN_LOG_LEVEL: 'error' },
      },
    );
    const alerts = readFileSync(out, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { eventId: string; errorCode?: string; context: Record<string, unknown> });
    expect(alerts.length).toBeGreaterThan(0);
    for (const a of alerts) {
      expect(typeof a.context['explanation']).toBe('string');
      expect(a.context['facts']).toBeInstanceOf(Object);
    }
    const deniedIds = plan.truth.flatMap((t) => t.events.filter((e) => e.errorCode).map((e) => e.eventId));
    expect(deniedIds.length).toBeGreaterThan(0);
    const denied = alerts.filter((a) => deniedIds.includes(a.eventId));
    expect(denied).toHaveLength(deniedIds.length);
    for (const a of denied) expect(a.context['explanation']).toMatch(/denied/);
  });
});

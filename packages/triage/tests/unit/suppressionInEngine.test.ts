import {
  createSuppressionCheck,
  DetectionEngine,
  InMemoryBaselineStore,
  InMemorySuppressionStore,
  levelKeys,
  parseConfig,
} from '@firstseen/core';
import {
  clickPayload,
  formBody,
  NOW,
  observed,
  SIGNING_SECRET,
  signed,
  TRUSTED_APPS,
} from '@firstseen/test-support';
import pino from 'pino';
import { handleTriageRequest } from '../../src/handleTriageRequest';
import { InMemoryAlertDecisionStore } from '../../src/InMemoryAlertDecisionStore';
import { InMemoryReplayGuard } from '../../src/ReplayGuard';
import { recordingPost } from '../helpers/recordingPost';

const DAY = 86_400_000;

async function afterExpected() {
  let now = NOW;
  const clock = () => now;
  const baseline = new InMemoryBaselineStore();
  const suppressions = new InMemorySuppressionStore();
  const engine = new DetectionEngine({
    store: baseline,
    config: parseConfig({ burnInDays: 0 }),
    suppressed: createSuppressionCheck({ store: suppressions, clock, ttlMs: 60_000 }),
  });
  const first = observed({ id: 'evt-1', account: '111122223333', region: 'us-east-1' });
  const detection = await engine.detect(first);
  const alerts = new InMemoryAlertDecisionStore([detection.alert!]);
  const res = await handleTriageRequest(signed(formBody(clickPayload({ alertId: 'evt-1' }))), {
    signingSecret: SIGNING_SECRET,
    trustedApps: TRUSTED_APPS,
    alerts,
    suppressions,
    replayGuard: new InMemoryReplayGuard(clock),
    post: recordingPost().post,
    pagerDuty: { eventsUrl: 'https://pd.test', routingKeyFor: () => undefined },
    logger: pino({ level: 'silent' }),
    clock,
    expectedDays: 30,
  });
  expect(res.statusCode).toBe(200);
  return { engine, baseline, suppressions, advance: (ms: number) => (now += ms) };
}

describe('an Expected decision through the DetectionEngine', () => {
  it('stops alerts for the same principal and action in another account and region (after the cache TTL), and keys are still learned', async () => {
    const t = await afterExpected();
    // The engine read role/deploy's (empty) suppressions for evt-1; a new one counts after the TTL.
    t.advance(61_000);
    const elsewhere = observed({
      id: 'evt-2',
      account: '444455556666',
      region: 'eu-west-1',
      time: NOW + 61_000,
    });
    const d = await t.engine.detect(elsewhere);
    expect(d.fired).toEqual(['account', 'region']);
    expect(d.alert).toBeUndefined();
    expect(d.suppressed).toBe('suppression');
    for (const k of levelKeys(elsewhere)) expect(await t.baseline.getKey(k)).toBeDefined();
  });

  it('still alerts on another action of the same principal', async () => {
    const t = await afterExpected();
    const d = await t.engine.detect(observed({ id: 'evt-3', eventName: 'DeleteRole', time: NOW + 1000 }));
    expect(d.alert).toBeDefined();
  });

  it('alerts again once the suppression is removed and the cache has expired', async () => {
    const t = await afterExpected();
    const [s] = await t.suppressions.list();
    await t.suppressions.remove(s!.principal, s!.id);
    t.advance(61_000);
    const d = await t.engine.detect(observed({ id: 'evt-4', account: '777788889999', time: NOW + 61_000 }));
    expect(d.alert).toBeDefined();
  });

  it('alerts again once the suppression has expired', async () => {
    const t = await afterExpected();
    t.advance(30 * DAY + 1);
    const d = await t.engine.detect(
      observed({ id: 'evt-5', account: '777788889999', time: NOW + 30 * DAY + 1 }),
    );
    expect(d.alert).toBeDefined();
  });
});

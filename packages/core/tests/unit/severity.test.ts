import { type ConfigInput, parseConfig } from '../../src/config';
import { type ContextProvider, DetectionEngine } from '../../src/DetectionEngine';
import { InMemoryBaselineStore } from '../../src/InMemoryBaselineStore';
import type { ObservedEvent } from '../../src/types';
import { type EventSpec, observed } from '../helpers/observedEvent';

// docs/semantics.md "Policy and the alert": severity rules, first match wins, and each alert
// names the rule that set its severity.

const KALI = 'aws-cli/2.15.0 Python/3.11.8 Linux/6.6.9-amd64-kali1 exe/x86_64.kali.2024';

function setup(config: ConfigInput = {}, context?: ContextProvider) {
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 0, ...config }),
    ...(context ? { context } : {}),
  });
  const run = (spec: EventSpec, extra: Partial<ObservedEvent> = {}) =>
    engine.detect({ ...observed(spec), ...extra });
  return { run };
}

/** A context provider returning the explain feature's facts for a burst. */
const facts =
  (f: Record<string, unknown>): ContextProvider =>
  () => ({ reason: 'denied', explanation: 'x', facts: f });

describe('severity rules', () => {
  it('name the default rule that rated a sensitive action high', async () => {
    const { run } = setup();
    const d = await run({ id: 'e1', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' });
    expect(d.alert).toMatchObject({ severity: 'high', severityRule: 'sensitive-action' });
  });

  it('rate a call from an offensive distribution high, even for an account level alone', async () => {
    const { run } = setup();
    await run({ id: 'e1' });
    const d = await run({ id: 'e2', account: '222222222222', at: 0.1 }, { userAgent: KALI });
    expect(d.alert?.levels).toEqual(['account']);
    expect(d.alert).toMatchObject({ severity: 'high', severityRule: 'offensive-user-agent' });
  });

  it('leave an ordinary user agent to the level rules', async () => {
    const { run } = setup();
    const d = await run({ id: 'e1' }, { userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1.0-18-amd64' });
    expect(d.alert).toMatchObject({ severity: 'medium', severityRule: 'new-role-action' });
  });

  it('rate a burst of denied new calls from a context new to the principal high', async () => {
    const { run } = setup(
      {},
      facts({ burst: { newActions: 5, windowMinutes: 10, denied: 3 }, unusualNetwork: '198.51.100.0/24' }),
    );
    const d = await run({ id: 'e1', errorCode: 'AccessDenied' });
    expect(d.alert).toMatchObject({ severity: 'high', severityRule: 'denied-burst-new-context' });
  });

  it.each([
    [
      'too few denied calls',
      { burst: { newActions: 5, windowMinutes: 10, denied: 2 }, unusualUserAgent: 'Boto3' },
    ],
    ['a known context', { burst: { newActions: 5, windowMinutes: 10, denied: 9 } }],
    ['odd facts', { burst: { denied: '9' }, unusualNetwork: 7 }],
  ])('do not escalate a burst with %s', async (_name, f) => {
    const { run } = setup({}, facts(f));
    const d = await run({ id: 'e1', errorCode: 'AccessDenied' });
    expect(d.alert).toMatchObject({ severity: 'medium', severityRule: 'new-role-action' });
  });

  it('name a configured rule by its index when it has no name, and say when none matched', async () => {
    const { run } = setup({
      severityRules: [{ severity: 'medium', actions: ['s3.amazonaws.com:*'] }],
      defaultSeverity: 'low',
    });
    expect((await run({ id: 'e1' })).alert).toMatchObject({
      severity: 'medium',
      severityRule: 'severityRules[0]',
    });
    const d = await run({ id: 'e2', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances' });
    expect(d.alert).toMatchObject({ severity: 'low', severityRule: 'defaultSeverity' });
  });

  it('can be turned off by configuring rules without the escalations', async () => {
    const { run } = setup({ severityRules: [{ name: 'role', severity: 'medium', levels: ['role'] }] });
    const d = await run({ id: 'e1' }, { userAgent: KALI });
    expect(d.alert).toMatchObject({ severity: 'medium', severityRule: 'role' });
  });

  it('reject a rule with a bad burst threshold, naming its path', () => {
    expect(() => parseConfig({ severityRules: [{ severity: 'high', deniedBurst: 0 }] })).toThrow(
      /severityRules\.0\.deniedBurst/,
    );
  });
});

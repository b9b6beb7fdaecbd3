import { DetectionEngine, InMemoryBaselineStore, parseConfig } from '@firstseen/core';
import { Explainer } from '../../src/Explainer';
import { InMemoryExplainStore } from '../../src/InMemoryExplainStore';
import { observedEvent } from '../helpers/events';

// The core's default severity rules read the explain feature's facts (burst.denied,
// unusualUserAgent / unusualNetwork): this checks that contract with the real Explainer.

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6, 12);
const DISCOVERY = [
  'ListUsers',
  'ListRoles',
  'ListPolicies',
  'GetAccountAuthorizationDetails',
  'ListGroups',
  'ListAccessKeys',
];

async function burst(userAgent: string) {
  const explainer = new Explainer({ store: new InMemoryExplainStore() });
  const engine = new DetectionEngine({
    store: new InMemoryBaselineStore(),
    config: parseConfig({ burnInDays: 0 }),
    observer: explainer.observe,
    context: explainer.context,
  });
  // The principal's usual work: the JS SDK from its own network, for days.
  for (let i = 0; i < 5; i++) {
    await engine.detect(
      observedEvent({ time: T0 + i * DAY, eventName: `Op${i}`, action: `s3.amazonaws.com:Op${i}` }),
    );
  }
  const alerts = [];
  for (const [i, name] of DISCOVERY.entries()) {
    const d = await engine.detect(
      observedEvent({
        time: T0 + 10 * DAY + i * 20_000,
        eventSource: 'iam.amazonaws.com',
        eventName: name,
        action: `iam.amazonaws.com:${name}`,
        errorCode: 'AccessDenied',
        sourceIPAddress: '198.51.100.23',
        userAgent,
      }),
    );
    alerts.push(d.alert);
  }
  return alerts;
}

describe('severity from the explanation', () => {
  it('escalates a stolen-credential burst of denied calls from a new network to high from its third call', async () => {
    const alerts = await burst('Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0-18-amd64');
    expect(alerts.map((a) => [a?.severity, a?.severityRule])).toEqual([
      ['medium', 'new-role-action'],
      ['medium', 'new-role-action'],
      ['high', 'denied-burst-new-context'],
      ['high', 'denied-burst-new-context'],
      ['high', 'denied-burst-new-context'],
      ['high', 'denied-burst-new-context'],
    ]);
  });

  it('rates every call of the burst high when it comes from Kali Linux', async () => {
    const alerts = await burst('aws-cli/2.15.0 Python/3.11.8 Linux/6.6.9-amd64-kali1 exe/x86_64.kali.2024');
    expect(new Set(alerts.map((a) => `${a?.severity} ${a?.severityRule}`))).toEqual(
      new Set(['high offensive-user-agent']),
    );
  });
});

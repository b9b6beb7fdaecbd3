import type { Alert } from '@firstseen/core';
import {
  pagerDutyDedupKey,
  renderPagerDutyGroup,
  renderSlackGroup,
  renderSlackStormSummary,
} from '@firstseen/notify';
import { chaosConfig } from '../../src/chaosConfig';
import { tallyDeliveries } from '../../src/verdict/tallyDeliveries';

const config = chaosConfig();

function alert(id: string, principal: string, severity: Alert['severity']): Alert {
  return {
    alertId: id,
    eventId: id,
    eventTime: '2024-06-03T10:00:00Z',
    principal,
    account: '111111111111',
    region: 'eu-west-1',
    action: 'iam.amazonaws.com:CreateUser',
    levels: ['account', 'role', 'region'],
    severity,
    identityType: 'AssumedRole',
    context: {},
  } as Alert;
}

const a = alert('11111111-aaaa-4aaa-8aaa-000000000001', 'role/app', 'high');
const b = alert('11111111-aaaa-4aaa-8aaa-000000000002', 'role/app', 'low');
const c = alert('11111111-aaaa-4aaa-8aaa-000000000003', 'role/other', 'medium');
const expected = new Map([a, b, c].map((x) => [x.alertId, x]));
const knownIds = new Set(expected.keys());
const slackGroup = (xs: Alert[]) => renderSlackGroup(xs as never);
const page = (xs: Alert[]) => renderPagerDutyGroup(xs as never, 'key', 0);

describe('tallyDeliveries()', () => {
  it('counts an alert listed in a group or a storm summary as delivered', () => {
    const t = tallyDeliveries({
      expected,
      routing: config.routing,
      slackBodies: [slackGroup([a]), renderSlackStormSummary([b, c] as never, 20)],
      pagerDutyBodies: [page([a]), page([c])],
      knownIds,
    });
    expect(t.lost).toEqual([]);
    expect(t.slack).toMatchObject({ expected: 3, delivered: 3, duplicates: 0 });
    expect(t.pagerduty).toMatchObject({ expected: 2, delivered: 2, duplicates: 0 });
    expect(t.duplicatePages).toBe(0);
  });

  it('reports an alert missing from one of its destinations as lost', () => {
    const t = tallyDeliveries({
      expected,
      routing: config.routing,
      slackBodies: [slackGroup([a, b]), slackGroup([c])],
      pagerDutyBodies: [page([c])],
      knownIds,
    });
    expect(t.lost).toEqual([a.alertId]);
    expect(t.pagerduty.lost).toEqual([a.alertId]);
  });

  it('counts a repeated Slack message as a duplicate, and a repeated PagerDuty trigger as no new incident', () => {
    const t = tallyDeliveries({
      expected,
      routing: config.routing,
      slackBodies: [slackGroup([a, b]), slackGroup([a]), slackGroup([c])],
      pagerDutyBodies: [page([a]), page([a]), page([c])],
      knownIds,
    });
    expect(t.duplicateSlack).toBe(1);
    expect(t.duplicatePages).toBe(0);
    expect(t.pagerDutyRepeatTriggers).toBe(1);
  });

  it('counts an incident under an unexpected dedup_key as a duplicate page', () => {
    const other = { ...page([a]), dedup_key: pagerDutyDedupKey('role/app', '2024-06-04') };
    const t = tallyDeliveries({
      expected,
      routing: config.routing,
      slackBodies: [],
      pagerDutyBodies: [page([a]), other, page([c])],
      knownIds,
    });
    expect(t.duplicatePages).toBe(1);
    expect(t.pagerduty.duplicates).toBe(1);
  });
});

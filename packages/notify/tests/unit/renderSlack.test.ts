import { parseConfig } from '@firstseen/core';
import { renderSlackGroup, renderSlackStormSummary } from '../../src';
import { hostileAlert, makeAlert } from '../helpers/alerts';
import { slackProblems, slackTexts } from '../helpers/slackAssertions';

const owners = parseConfig({
  owners: [
    {
      principal: 'role/deploy',
      team: 'platform',
      slackUserIds: ['U024BE7LH'],
      slackGroupIds: ['S0614TZR7'],
      slackChannelIds: ['C061EG9SL'],
    },
  ],
}).owners;

describe('renderSlackGroup()', () => {
  it('renders a representative alert (snapshot)', () => {
    expect(renderSlackGroup([makeAlert()], owners)).toMatchSnapshot();
  });

  it('shows every field the issue lists', () => {
    const text = JSON.stringify(renderSlackGroup([makeAlert({ errorCode: 'AccessDenied' })], owners));
    for (const label of [
      'Principal',
      'Account',
      'Region',
      'Action',
      'Levels',
      'Severity',
      'Error code',
      'Source IP',
      'User agent',
      'Session name',
      'Source identity',
      'Event time',
    ]) {
      expect(text).toContain(`*${label}*`);
    }
    expect(text).toContain('AccessDenied');
    expect(text).toContain(
      'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events/3f1e0a52-8c1b-4d6e-9a57-0c4f1d2b7e11',
    );
    expect(text).toContain('*Likely explanation* `A lone new action');
  });

  it('shows the evidence: target, access key, MFA, access and role chain', () => {
    const text = JSON.stringify(renderSlackGroup([makeAlert()], owners));
    expect(text).toContain(
      '*Evidence* user `ci-bot` · access key `ASIAY34FZKBOKMUTVV7A` · MFA `no` · access `programmatic` · session issuer `arn:aws:iam::111122223333:role/deploy` · source identity `alice`',
    );
    expect(
      JSON.stringify(renderSlackGroup([makeAlert({ evidence: undefined, sourceIdentity: undefined })])),
    ).not.toContain('*Evidence*');
  });

  it('mentions owners only with config IDs', () => {
    const msg = renderSlackGroup([makeAlert()], owners);
    expect(JSON.stringify(msg)).toContain(
      '*Owner* <@U024BE7LH> <!subteam^S0614TZR7> <#C061EG9SL> (platform)',
    );
    expect(JSON.stringify(renderSlackGroup([makeAlert({ principal: 'role/other' })], owners))).not.toContain(
      'Owner',
    );
  });

  it('names the account as people know it, with its OU path', () => {
    const msg = renderSlackGroup([
      makeAlert({
        account: '552650195104',
        accountInfo: { name: 'payments-prod', ouPath: 'Production/Payments' },
      }),
    ]);
    expect(JSON.stringify(msg)).toContain(
      '*Account*\\n`payments-prod (552650195104)`\\n`Production/Payments`',
    );
    expect(JSON.stringify(renderSlackGroup([makeAlert({ account: '552650195104' })]))).toContain(
      '*Account*\\n`552650195104`"',
    );
  });

  it('renders a hostile account name and OU path inert and bounded', () => {
    const msg = renderSlackGroup([hostileAlert('a')]);
    expect(slackProblems(msg)).toEqual([]);
    const account = slackTexts(msg).find((t) => t.obj.text.startsWith('*Account*'))!.obj.text;
    expect(account).toContain('&lt;!channel&gt;');
    expect(account).not.toContain('\n*');
    expect(account.length).toBeLessThan(520);
  });

  it('renders hostile values inert and within limits', () => {
    const msg = renderSlackGroup([hostileAlert('<!channel>`id`\u202E')], owners);
    expect(slackProblems(msg)).toEqual([]);
    const all = slackTexts(msg)
      .map((t) => t.obj.text)
      .join('\n');
    expect(all).toContain('&lt;!channel&gt;');
    expect(all).toContain('&lt;https://evil.example|click&gt;');
    expect(all).toContain('＠everyone');
    // The resource (a bucket name from the event) is an inert, bounded code span on one line.
    const resource = all.split('\n').find((l) => l.startsWith('*Resource* '));
    expect(resource).toMatch(/^\*Resource\* `s3:&lt;!here&gt;line1↵line2↵\*bold\*ˋˋˋcodeˋˋˋ/);
    expect(resource!.length).toBeLessThan(320);
    // The console link encodes the hostile event id instead of letting it break out.
    expect(all).toContain('#/events/%3C!channel%3E%60id%60%E2%80%AE|Open in the CloudTrail console>');
  });

  it('keeps a group of 60 hostile alerts within 50 blocks and the payload bound, listing the rest by id', () => {
    const alerts = Array.from({ length: 60 }, (_, i) => hostileAlert(`evt-${i}`));
    const msg = renderSlackGroup(alerts, owners);
    expect(slackProblems(msg)).toEqual([]);
    expect(JSON.stringify(msg)).toContain('more alerts');
    expect(JSON.stringify(msg)).toContain('`evt-59`');
  });

  it('falls back to us-east-1 for a region that is not a region name', () => {
    const msg = JSON.stringify(renderSlackGroup([makeAlert({ region: 'evil.example/x' })]));
    expect(msg).toContain(
      'https://us-east-1.console.aws.amazon.com/cloudtrail/home?region=us-east-1#/events/',
    );
  });
});

describe('renderSlackStormSummary()', () => {
  it('counts alerts by severity and lists their ids', () => {
    const alerts = Array.from({ length: 30 }, (_, i) =>
      makeAlert({ alertId: `a-${i}`, eventId: `a-${i}`, severity: i % 2 ? 'low' : 'high' }),
    );
    const msg = renderSlackStormSummary(alerts, 20);
    const text = JSON.stringify(msg);
    expect(text).toContain('high 15 · medium 0 · low 15');
    for (let i = 0; i < 30; i++) expect(text).toContain(`\`a-${i}\``);
    expect(slackProblems(msg)).toEqual([]);
  });

  it('stays within limits for 5,000 alerts and counts the ids it cannot list', () => {
    const alerts = Array.from({ length: 5000 }, (_, i) => hostileAlert(`evt-${i}-<!here>`));
    const msg = renderSlackStormSummary(alerts, 20);
    expect(slackProblems(msg)).toEqual([]);
    expect(JSON.stringify(msg)).toMatch(/and \d+ more \(see the alerts table\)/);
  });
});

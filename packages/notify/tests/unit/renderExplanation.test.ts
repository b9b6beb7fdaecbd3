import { renderPagerDutyGroup, renderSlackGroup } from '../../src';
import { HOSTILE, hostileAlert, makeAlert } from '../helpers/alerts';
import { slackProblems, slackTexts } from '../helpers/slackAssertions';

const allTexts = (msg: Parameters<typeof slackTexts>[0]) => slackTexts(msg).map((t) => t.obj.text);

const owners = [
  {
    principal: 'role/*',
    team: 'platform',
    slackUserIds: ['U024BE7LH'],
    slackGroupIds: [],
    slackChannelIds: [],
  },
];

describe('rendering an alert context (the explain feature)', () => {
  it('shows the likely explanation and its facts in Slack', () => {
    const msg = renderSlackGroup([makeAlert()], owners as never);
    const text = JSON.stringify(msg);
    expect(text).toContain('*Likely explanation* `A lone new action');
    expect(text).toContain('prevalence.firstInOrganization `true`');
    expect(text).toContain('baseline.actions `37`');
  });

  it('asks the owner to say hi to the person and confirm', () => {
    const msg = renderSlackGroup([makeAlert()], owners as never);
    const owner = allTexts(msg).find((t) => t.startsWith('*Owner*'));
    expect(owner).toContain('<@U024BE7LH>');
    expect(owner).toMatch(
      /say hi to whoever did this \(`alice@example.com`, `alice`\) and confirm it was expected/,
    );
  });

  it('renders hostile strings in the context inert in Slack', () => {
    const msg = renderSlackGroup([hostileAlert('a')], owners as never);
    expect(slackProblems(msg)).toEqual([]);
    const facts = allTexts(msg).find((t) => t.includes('*Facts*'));
    expect(facts).toBeDefined();
    // Names of facts are inert too: the hostile key became escaped text, not a link.
    expect(facts).toContain('&lt;https://evil.example|click&gt;');
    expect(facts).toContain('iamChange.by `&lt;!channel&gt; wake up`');
  });

  it('bounds and neutralises the explanation in PagerDuty', () => {
    const event = renderPagerDutyGroup([hostileAlert('a')], 'k', Date.UTC(2024, 4, 14));
    expect(event.payload.summary.length).toBeLessThanOrEqual(1024);
    expect(event.payload.summary).not.toMatch(/[\n\u202E]/);
    const details = JSON.stringify(event.payload.custom_details);
    expect(details).not.toContain(HOSTILE.big);
    expect(details).not.toContain('\u202E');
    expect(String(event.payload.custom_details['likelyExplanation']).length).toBeLessThanOrEqual(1024);
    expect(event.payload.summary).toContain(' - likely: ');
  });
});

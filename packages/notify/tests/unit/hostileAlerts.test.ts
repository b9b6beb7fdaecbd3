import { parseConfig } from '@firstseen/core';
import fc from 'fast-check';
import {
  cloudTrailEventUrl,
  type PagerDutyEvent,
  renderPagerDutyGroup,
  renderSlackGroup,
  renderSlackStormSummary,
} from '../../src';
import { CONSOLE_LINK_MAX_EVENT_ID } from '../../src/consoleLink';
import { PAGERDUTY_MAX_EVENT_BYTES, renderPagerDutyStormSummary } from '../../src/renderPagerDuty';
import { makeAlert } from '../helpers/alerts';
import { hostileAlertArb, hostileGroupArb, hostileString } from '../helpers/hostile';
import { allWellFormed, slackProblems, slackTexts } from '../helpers/slackAssertions';

// Thousands of hostile alerts across every field, through the public renderers. Seeded, so a
// failure reproduces; fast-check prints the seed and the shrunk counterexample.
const RUNS = { numRuns: 800, seed: 15_026 };
const NOW = Date.parse('2024-05-14T10:00:00Z');

const owners = parseConfig({
  owners: [{ principal: '*', team: 'platform', slackUserIds: ['U024BE7LH'], slackGroupIds: ['S0614TZR7'] }],
}).owners;

function pagerDutyProblems(event: PagerDutyEvent): string[] {
  const problems: string[] = [];
  const json = JSON.stringify(event);
  const bytes = Buffer.byteLength(json, 'utf8');
  if (bytes > PAGERDUTY_MAX_EVENT_BYTES) problems.push(`${bytes} bytes > 512 KB`);
  if (!allWellFormed(event)) problems.push('a string is not well-formed');
  if (JSON.stringify(JSON.parse(json)) !== json) problems.push('does not survive a JSON round trip');
  if (event.payload.summary.length > 1024) problems.push('summary over 1,024 characters');
  if (event.dedup_key.length > 255) problems.push('dedup_key over 255 characters');
  for (const l of event.links) if (!URL.canParse(l.href)) problems.push(`link ${l.href} is not a URL`);
  return problems;
}

describe('renderSlackGroup() with hostile alerts', () => {
  it('never throws, and every message is inert and within Slack block limits', () => {
    fc.assert(
      fc.property(hostileGroupArb, fc.boolean(), (group, triageActions) => {
        const msg = renderSlackGroup(group, owners, { triageActions });
        expect(slackProblems(msg)).toEqual([]);
      }),
      RUNS,
    );
  });

  it('cuts the explanation block at whole facts, never inside a code span or an entity', () => {
    const many = Object.fromEntries(
      Array.from({ length: 14 }, (_, i) => [`fact${i}`, `${'<&>`'.repeat(10)}${i}`]),
    );
    fc.assert(
      fc.property(hostileString, (explanation) => {
        const msg = renderSlackGroup([
          makeAlert({ context: { explanation: explanation || 'x', facts: many } }),
        ]);
        const block = slackTexts(msg).find((t) => t.obj.text.startsWith('*Likely explanation*'));
        expect(block).toBeDefined();
        expect(block!.obj.text.length).toBeLessThanOrEqual(3000);
        expect(slackProblems(msg)).toEqual([]);
        // Whole facts: each shown fact is complete (its value ends with its index).
        for (const m of block!.obj.text.matchAll(/fact(\d+) `([^`]*)`/g))
          expect(m[2]).toMatch(new RegExp(`${m[1]}$`));
      }),
      { numRuns: 100, seed: 15_027 },
    );
  });

  it('keeps the event section within 3,000 characters for a 2,000-character event id', () => {
    const alert = makeAlert({
      eventId: '\u202E'.repeat(2000),
      userAgent: '<'.repeat(5000),
      errorMessage: '&'.repeat(5000),
      previousSeen: '>'.repeat(100),
      requestParameters: { a: '"'.repeat(5000) },
    });
    const msg = renderSlackGroup([alert]);
    expect(slackProblems(msg)).toEqual([]);
    expect(JSON.stringify(msg)).toContain('#/events|Open in the CloudTrail console>');
  });
});

describe('renderSlackStormSummary() with hostile alerts', () => {
  it('never throws and stays inert and within limits', () => {
    fc.assert(
      fc.property(fc.array(hostileAlertArb, { minLength: 1, maxLength: 40 }), (alerts) => {
        expect(slackProblems(renderSlackStormSummary(alerts, 20))).toEqual([]);
      }),
      { numRuns: 60, seed: 15_028 },
    );
  });
});

describe('renderPagerDutyGroup() with hostile alerts', () => {
  it('never throws, and every event is valid, well-formed JSON of at most 512 KB', () => {
    fc.assert(
      fc.property(hostileGroupArb, (group) => {
        expect(pagerDutyProblems(renderPagerDutyGroup(group, 'R0UTINGKEY', NOW))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('bounds one alert whose structured fields are far larger than 512 KB', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [
        `k${i}`,
        Object.fromEntries(
          Array.from({ length: 40 }, (_, j) => [
            `k${j}`,
            Array.from({ length: 20 }, () => '中'.repeat(1024)),
          ]),
        ),
      ]),
    );
    const alert = makeAlert({ requestParameters: wide, context: { explanation: 'x', facts: wide } });
    const event = renderPagerDutyGroup([alert], 'R0UTINGKEY', NOW);
    expect(pagerDutyProblems(event)).toEqual([]);
    // The budget cuts the bulky fields, keeping the ones a responder reads first.
    const [details] = event.payload.custom_details['alerts'] as Record<string, unknown>[];
    expect(details).toMatchObject({ principal: 'role/deploy', eventId: alert.eventId });
    expect(JSON.stringify(details!['requestParameters'])).toContain('[truncated]');
  });

  it('storm summaries stay within 512 KB too', () => {
    fc.assert(
      fc.property(fc.array(hostileAlertArb, { minLength: 1, maxLength: 40 }), (alerts) => {
        expect(pagerDutyProblems(renderPagerDutyStormSummary(alerts, 'R0UTINGKEY', NOW))).toEqual([]);
      }),
      { numRuns: 60, seed: 15_029 },
    );
  });
});

describe('cloudTrailEventUrl()', () => {
  it('never throws, and carries the event id only when it is short and well-formed', () => {
    fc.assert(
      fc.property(hostileString, hostileString, (region, eventId) => {
        const url = cloudTrailEventUrl(region, eventId);
        expect(URL.canParse(url)).toBe(true);
        const carries =
          eventId !== '' && eventId.length <= CONSOLE_LINK_MAX_EVENT_ID && eventId.isWellFormed();
        expect(url.endsWith('#/events')).toBe(!carries);
        if (carries) expect(decodeURIComponent(url.slice(url.indexOf('#/events/') + 9))).toBe(eventId);
      }),
      { numRuns: 2000, seed: 15_030 },
    );
  });

  it('links a lone-surrogate or a 129-character event id to the event history instead', () => {
    expect(cloudTrailEventUrl('eu-west-1', 'abc\ud800')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudtrail/home?region=eu-west-1#/events',
    );
    expect(cloudTrailEventUrl('eu-west-1', 'a'.repeat(129)).endsWith('#/events')).toBe(true);
    expect(cloudTrailEventUrl('eu-west-1', 'a'.repeat(128)).endsWith(`#/events/${'a'.repeat(128)}`)).toBe(
      true,
    );
  });
});

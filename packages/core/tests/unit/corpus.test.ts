import { type Decoded, decodeRecord } from '../../src';
import { corpusFiles, corpusLines, corpusRecord } from '../helpers/corpus';

/**
 * Every record of the shared real-CloudTrail corpus through decodeRecord (docs/semantics.md "Input").
 * The counts were computed once and checked record by record against docs/semantics.md; a change in
 * them means decoding, validation or the principal table changed.
 */

interface Outcome {
  file: string;
  line: number;
  decoded: Decoded;
}

function decodeFile(file: string): Outcome[] {
  const out: Outcome[] = [];
  corpusLines(file).forEach((text, i) => {
    if (text.trim() === '') return;
    for (const decoded of decodeRecord(text)) out.push({ file, line: i + 1, decoded });
  });
  return out;
}

function tally(outcomes: Outcome[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const { decoded: d } of outcomes) {
    const key = d.outcome === 'observed' ? 'observed' : `${d.outcome}:${d.reason}`;
    t[key] = (t[key] ?? 0) + 1;
  }
  return t;
}

const EXPECTED: Record<string, Record<string, number>> = {
  'awsdocs-examples-eventbridge.ndjson': { 'ignored:no-identity-type': 3 },
  'awsdocs-examples.ndjson': {
    observed: 154,
    'ignored:no-identity-type': 21,
    'ignored:unknown-identity': 16,
    'ignored:insight': 5,
    'ignored:principal-not-derivable': 4,
    'ignored:aws-service': 3,
    'ignored:aws-account': 1,
    'invalid:missing-eventID': 5,
  },
  'cloud-custodian-test-events-eventbridge.ndjson': { observed: 11 },
  'cloud-custodian-test-events.ndjson': {
    observed: 11,
    'ignored:principal-not-derivable': 2,
    'invalid:missing-eventID': 1,
  },
  'otrf-security-datasets-aws.ndjson': { observed: 98, 'ignored:aws-service': 5 },
  'panther-analysis-test-events.ndjson': {
    observed: 393,
    'ignored:service-linked-role': 5,
    'ignored:no-identity': 3,
    'ignored:aws-account': 1,
    'ignored:aws-service': 1,
    'invalid:missing-eventID': 12,
    'invalid:bad-eventTime': 1,
    'invalid:missing-awsRegion': 1,
    'invalid:missing-eventSource': 1,
  },
  'stratus-red-team-detonation-logs.ndjson': { observed: 310 },
};

/** Every invalid record of the corpus, with its reason and the problems its detail lists. */
const EXPECTED_INVALID: Record<string, [number, string, string][]> = {
  'awsdocs-examples.ndjson': [78, 79, 80, 81, 82].map((l) => [l, 'missing-eventID', 'eventID is missing']),
  'cloud-custodian-test-events.ndjson': [[4, 'missing-eventID', 'eventID is missing; eventTime is missing']],
  'panther-analysis-test-events.ndjson': [
    [107, 'missing-eventID', 'eventID is missing'],
    // One of the two hand-edited, unparseable eventTime values named in SOURCES.md.
    [281, 'bad-eventTime', 'eventTime "redacted" is not a valid date-time'],
    [340, 'missing-eventID', 'eventID is missing'],
    ...[374, 375, 376, 377, 378, 379, 380, 381, 382].map((l): [number, string, string] => [
      l,
      'missing-eventID',
      'eventID is missing',
    ]),
    // The other unparseable eventTime ("..."); awsRegion comes first in the fixed field order.
    [
      386,
      'missing-awsRegion',
      'awsRegion is missing; eventID is missing; eventTime "..." is not a valid date-time',
    ],
    [388, 'missing-eventSource', 'eventSource is missing; eventID is missing'],
    [391, 'missing-eventID', 'eventID is missing'],
  ],
};

/** An independent, naive statement of docs/semantics.md's validity rule, to cross-check decodeRecord. */
function naiveValid(record: Record<string, unknown>): boolean {
  if (record.eventType === 'AwsCloudTrailInsight' || record.eventCategory === 'Insight') return true;
  for (const f of ['eventSource', 'eventName', 'awsRegion', 'eventID']) {
    if (typeof record[f] !== 'string' || record[f] === '') return false;
  }
  const t = record.eventTime;
  return (
    typeof t === 'string' &&
    /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/.test(t) &&
    !Number.isNaN(Date.parse(t))
  );
}

describe('the shared CloudTrail corpus through decodeRecord()', () => {
  const files = corpusFiles();
  const decoded = new Map(files.map((f) => [f, decodeFile(f)]));

  it('holds exactly the files whose counts are pinned here', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.keys(EXPECTED))('decodes %s to the pinned observed / ignored / invalid counts', (file) => {
    const outcomes = decoded.get(file) ?? [];
    expect(outcomes).toHaveLength(corpusLines(file).filter((l) => l.trim() !== '').length);
    expect(tally(outcomes)).toEqual(EXPECTED[file]);
  });

  it.each(Object.keys(EXPECTED))(
    'rejects in %s exactly the records listed, each for a docs/semantics.md reason',
    (file) => {
      const invalid = (decoded.get(file) ?? []).flatMap(({ line, decoded: d }) =>
        d.outcome === 'invalid' ? [[line, d.reason, d.detail]] : [],
      );
      expect(invalid).toEqual(EXPECTED_INVALID[file] ?? []);
    },
  );

  it.each(Object.keys(EXPECTED))('agrees in %s with a naive statement of the validity rule', (file) => {
    for (const { line, decoded: d } of decoded.get(file) ?? []) {
      expect({ line, invalid: d.outcome === 'invalid' }).toEqual({
        line,
        invalid: !naiveValid(corpusRecord(file, line)),
      });
    }
  });

  it('never rejects a corpus record for odd optional fields added to it', () => {
    let checked = 0;
    for (const file of files) {
      for (const { line, decoded: d } of decoded.get(file) ?? []) {
        if (d.outcome === 'invalid') continue;
        const odd = {
          ...corpusRecord(file, line),
          readOnly: 'true',
          errorCode: '',
          errorMessage: { nested: true },
          sourceIPAddress: '999.1.1.1 <not an ip>',
          userAgent: 12,
          requestParameters: 'not an object',
          resources: 'none',
          sessionCredentialFromConsole: 7,
        };
        const again = decodeRecord(JSON.stringify(odd));
        expect({ file, line, outcome: again[0]?.outcome }).not.toEqual({ file, line, outcome: 'invalid' });
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(1000);
  });

  it('keeps the odd optional values the corpus itself holds', () => {
    const at = (file: string, line: number): Decoded | undefined =>
      decoded.get(file)?.find((o) => o.line === line)?.decoded;
    // errorCode "" on an AssumedRole call: a success, no errorCode.
    const emptyError = at('panther-analysis-test-events.ndjson', 285);
    expect(emptyError?.outcome).toBe('observed');
    if (emptyError?.outcome === 'observed') {
      expect(emptyError.event.failed).toBe(false);
      expect(emptyError.event.errorCode).toBeUndefined();
    }
    // readOnly "True" (a string) on an AWSAccount call: ignored for its identity, not invalid.
    expect(at('panther-analysis-test-events.ndjson', 91)).toMatchObject({
      outcome: 'ignored',
      reason: 'aws-account',
    });
    // sourceIPAddress "" counts as absent.
    const emptyIp = at('awsdocs-examples.ndjson', 58);
    expect(emptyIp?.outcome).toBe('observed');
    if (emptyIp?.outcome === 'observed') expect(emptyIp.event.sourceIPAddress).toBeUndefined();
  });

  it('observes the EventBridge envelope files as AWS wrote them, and ignores every one forged', () => {
    const envelopeFiles = files.filter((f) => f.endsWith('-eventbridge.ndjson'));
    expect(envelopeFiles.length).toBeGreaterThan(0);
    for (const file of envelopeFiles) {
      for (const [i, text] of corpusLines(file).entries()) {
        const envelope = JSON.parse(text) as Record<string, unknown>;
        expect({ file, line: i + 1, source: String(envelope.source).startsWith('aws.') }).toEqual({
          file,
          line: i + 1,
          source: true,
        });
        const forged = decodeRecord(JSON.stringify({ ...envelope, source: 'custom.cloudtrail' }));
        expect(forged).toEqual([expect.objectContaining({ outcome: 'ignored', reason: 'untrusted-source' })]);
      }
    }
  });

  it('flags the one corpus envelope whose account differs from its recipientAccountId, still observed', () => {
    const flagged = files.flatMap((file) =>
      (decoded.get(file) ?? []).flatMap(({ line, decoded: d }) =>
        d.outcome === 'observed' && d.accountMismatch ? [{ file, line, ...d.accountMismatch }] : [],
      ),
    );
    expect(flagged).toEqual([
      {
        file: 'cloud-custodian-test-events-eventbridge.ndjson',
        line: 1,
        envelope: '687174582794',
        recipient: '123456789',
      },
    ]);
  });

  it('gives every outcome a short detail that never carries the record', () => {
    for (const outcomes of decoded.values()) {
      for (const { decoded: d } of outcomes) {
        if (d.outcome === 'observed') continue;
        expect(typeof d.detail).toBe('string');
        expect((d.detail ?? '').length).toBeLessThanOrEqual(200);
      }
    }
  });
});

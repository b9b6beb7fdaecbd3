import { HelpRequested, UsageError } from '@firstseen/core';
import { parseCoverageArgs } from '../../src';

const outputs = {
  stackSetName: 'acme-forwarding',
  baselineTable: 'acme-baseline',
  detectorFunctionName: 'acme-detector',
  ruleDeadLetterQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/222222222222/acme-to-stream-dlq',
  failureBucket: 'acme-failures-1a2b3c',
  forwardedRegions: ['eu-west-1', 'us-east-1'],
};

describe('parseCoverageArgs()', () => {
  it('takes the names from the stack outputs', () => {
    const args = parseCoverageArgs(['--outputs', 'o.json', '--json'], () => outputs);
    expect(args.json).toBe(true);
    expect(args.targets).toMatchObject({
      stackSetName: 'acme-forwarding',
      baselineTable: 'acme-baseline',
      failureBucket: 'acme-failures-1a2b3c',
      regions: ['eu-west-1', 'us-east-1'],
      silenceMs: 3_600_000,
      iteratorAgeLimitMs: 300_000,
    });
  });

  it('lets a flag override an output', () => {
    const args = parseCoverageArgs(['--outputs', 'o.json', '--regions', 'us-east-1'], () => outputs);
    expect(args.targets.regions).toEqual(['us-east-1']);
  });

  it('refuses to run without the dead-letter queue and failure bucket, naming how to give them', () => {
    expect(() => parseCoverageArgs([], () => outputs)).toThrow(
      /--outputs FILE .* --dlq-url and --failure-bucket/,
    );
  });

  it('refuses a bad number in one line', () => {
    expect(() =>
      parseCoverageArgs(['--outputs', 'o.json', '--silence-minutes', 'soon'], () => outputs),
    ).toThrow(/--silence-minutes must be an integer, got "soon"/);
  });

  it('refuses an unknown option and a non-positive count as usage errors', () => {
    expect(() => parseCoverageArgs(['--outputs', 'o.json', '--bogus'], () => outputs)).toThrow(UsageError);
    expect(() => parseCoverageArgs(['--outputs', 'o.json', '--bogus'], () => outputs)).toThrow(
      'unknown option --bogus',
    );
    expect(() => parseCoverageArgs(['--outputs', 'o.json', '--max-rows', '0'], () => outputs)).toThrow(
      /--max-rows must be at least 1, got "0"/,
    );
  });

  it('answers --help before asking for the outputs', () => {
    expect(() => parseCoverageArgs(['--help'], () => outputs)).toThrow(HelpRequested);
  });
});

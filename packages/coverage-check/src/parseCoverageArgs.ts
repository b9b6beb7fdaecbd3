import { numberOption, parseCommandLine } from '@firstseen/core';
import { CoverageArgumentError } from './errors';
import type { CoverageTargets } from './types';

export const USAGE = `usage: npm run coverage -- [options]

Read-only check of a deployed organization, with the credentials of \`pulumi up\` (security account).
Exits 0 when nothing is blind, 1 on any gap or failed check, 2 on bad arguments.

  --outputs FILE            names from \`pulumi stack output --json > FILE\` (infra/)
  --stack-set-name NAME     default <prefix>-forwarding
  --baseline-table NAME     default <prefix>-baseline
  --detector NAME           default <prefix>-detector
  --dlq-url URL             the bus rule's dead-letter queue (output ruleDeadLetterQueueUrl)
  --failure-bucket NAME     output failureBucket
  --regions R,R             forwarded regions (default: output forwardedRegions, else the StackSet's)
  --prefix P                default firstseen
  --call-as DELEGATED_ADMIN|SELF   default DELEGATED_ADMIN
  --silence-minutes N       default 60
  --iterator-age-seconds N  default 300
  --max-rows N              gap rows listed per kind, default 20
  --region R                AWS region of the pipeline
  --json                    machine-readable report
  -h, --help`;

export interface CoverageArgs {
  targets: CoverageTargets;
  region?: string;
  json: boolean;
}

/** `pulumi stack output --json`: the names the check needs. */
export interface StackOutputs {
  stackSetName?: string;
  baselineTable?: string;
  detectorFunctionName?: string;
  ruleDeadLetterQueueUrl?: string;
  failureBucket?: string;
  forwardedRegions?: string[];
}

function positive(name: string, raw: string | undefined, fallback: number): number {
  return numberOption(name, raw, { integer: true, min: 1 }) ?? fallback;
}

/**
 * Parses the command line, filling names from the stack outputs. A bad line throws a UsageError
 * (CoverageArgumentError for what the outputs cannot name); `--help` throws HelpRequested.
 */
export function parseCoverageArgs(argv: string[], readOutputs: (file: string) => StackOutputs): CoverageArgs {
  const v = parse(argv).values;
  const outputs = v.outputs ? readOutputs(v.outputs) : {};
  const prefix = v.prefix ?? 'firstseen';
  const callAs = v['call-as'] ?? 'DELEGATED_ADMIN';
  if (callAs !== 'DELEGATED_ADMIN' && callAs !== 'SELF') {
    throw new CoverageArgumentError(`--call-as must be DELEGATED_ADMIN or SELF, got "${callAs}"`);
  }
  const dlq = v['dlq-url'] ?? outputs.ruleDeadLetterQueueUrl;
  const bucket = v['failure-bucket'] ?? outputs.failureBucket;
  if (dlq === undefined || bucket === undefined) {
    throw new CoverageArgumentError(
      'give --outputs FILE (pulumi stack output --json) or both --dlq-url and --failure-bucket',
    );
  }
  const regions =
    v.regions
      ?.split(',')
      .map((r) => r.trim())
      .filter((r) => r !== '') ?? outputs.forwardedRegions;
  return {
    json: v.json === true,
    region: v.region,
    targets: {
      stackSetName: v['stack-set-name'] ?? outputs.stackSetName ?? `${prefix}-forwarding`,
      callAs,
      regions: regions?.length ? regions : undefined,
      baselineTable: v['baseline-table'] ?? outputs.baselineTable ?? `${prefix}-baseline`,
      detectorFunctionName: v.detector ?? outputs.detectorFunctionName ?? `${prefix}-detector`,
      ruleDeadLetterQueueUrl: dlq ?? '',
      failureBucket: bucket ?? '',
      silenceMs: positive('silence-minutes', v['silence-minutes'], 60) * 60_000,
      iteratorAgeLimitMs: positive('iterator-age-seconds', v['iterator-age-seconds'], 300) * 1000,
      maxRowsPerKind: positive('max-rows', v['max-rows'], 20),
    },
  };
}

function parse(argv: string[]) {
  return parseCommandLine(argv, {
    outputs: { type: 'string' },
    'stack-set-name': { type: 'string' },
    'baseline-table': { type: 'string' },
    detector: { type: 'string' },
    'dlq-url': { type: 'string' },
    'failure-bucket': { type: 'string' },
    regions: { type: 'string' },
    prefix: { type: 'string' },
    'call-as': { type: 'string' },
    'silence-minutes': { type: 'string' },
    'iterator-age-seconds': { type: 'string' },
    'max-rows': { type: 'string' },
    region: { type: 'string' },
    json: { type: 'boolean' },
  });
}

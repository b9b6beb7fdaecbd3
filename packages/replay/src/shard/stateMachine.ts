/**
 * The replay's state machine on AWS (Amazon States Language, JSONPath): one DISTRIBUTED Map that
 * reads the objects of the run's range from the manifest `npm run replay -- --on aws` wrote
 * (ItemReader `s3:getObject`, JSON Lines; see rangeManifest.ts: a prefix alone cannot select dates
 * across accounts and regions), keeps each object's Key and Size (ItemSelector), batches them (ItemBatcher, with the bucket and range as
 * BatchInput), runs the replay-shard function on each batch with at most `maxConcurrency` child
 * workflows at once, retries failed batches, tolerates `toleratedFailurePercentage` failed
 * items, and writes every child's input and output to S3 (ResultWriter), from which
 * `npm run replay -- --on aws` merges the summary and lists the failed items.
 *
 * Built here, once, for infra (the deployed definition) and for the tests (asl-validator, and
 * aws-local-stepfunctions against DynamoDB Local).
 */

/** The execution input `npm run replay -- --on aws` starts the machine with (nulls: not given). */
export interface SeedExecutionInput {
  bucket: string;
  prefix: string;
  /** The range's objects, one `{"Key","Size"}` per line, in the results bucket. */
  manifest: { bucket: string; key: string };
  from: number | null;
  to: number | null;
  accounts: string[] | null;
  regions: string[] | null;
}

export interface ReplayStateMachineOptions {
  /** The replay-shard function's ARN. */
  shardFunctionArn: string;
  /** Where the map run's results go (same account and region as the state machine). */
  resultBucket: string;
  /** Key prefix of the results (default `replay-results`). */
  resultPrefix?: string;
  /** Child workflows (batches) at once (default 100). */
  maxConcurrency?: number;
  /** Objects per batch (default 50; see the README for why). */
  maxItemsPerBatch?: number;
  /** Failed items (after retries) tolerated before the run fails (default 5 %). */
  toleratedFailurePercentage?: number;
}

export const SEED_MAP_STATE = 'SeedTrailObjects';
export const SEED_TASK_STATE = 'SeedBatch';
export const DEFAULT_MAP_CONCURRENCY = 100;
export const DEFAULT_ITEMS_PER_BATCH = 50;
export const DEFAULT_TOLERATED_FAILURE_PERCENTAGE = 5;
export const DEFAULT_RESULT_PREFIX = 'replay-results';
/** The ItemBatcher's limit on a batch's input (256 KiB, Step Functions' payload limit). */
export const MAX_INPUT_BYTES_PER_BATCH = 262_144;

// Errors of the Lambda service itself (AWS's recommended retry set for lambda:invoke).
const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** The state machine definition (an object; `JSON.stringify` it for AWS). */
export function replayStateMachineDefinition(options: ReplayStateMachineOptions): Record<string, unknown> {
  const maxConcurrency = options.maxConcurrency ?? DEFAULT_MAP_CONCURRENCY;
  const perBatch = options.maxItemsPerBatch ?? DEFAULT_ITEMS_PER_BATCH;
  const tolerated = options.toleratedFailurePercentage ?? DEFAULT_TOLERATED_FAILURE_PERCENTAGE;
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 1 || maxConcurrency > 10_000)
    throw new RangeError('maxConcurrency must be a whole number from 1 to 10000');
  if (!Number.isInteger(perBatch) || perBatch < 1)
    throw new RangeError('maxItemsPerBatch must be at least 1');
  if (!Number.isInteger(tolerated) || tolerated < 0 || tolerated > 100)
    throw new RangeError('toleratedFailurePercentage must be a whole number from 0 to 100');
  return {
    Comment: 'firstseen: seed the baseline from the trail, one replay-shard invocation per batch of objects',
    QueryLanguage: 'JSONPath',
    StartAt: SEED_MAP_STATE,
    States: {
      [SEED_MAP_STATE]: {
        Type: 'Map',
        Label: 'seed',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSONL' },
          Parameters: { 'Bucket.$': '$.manifest.bucket', 'Key.$': '$.manifest.key' },
        },
        // Each line is {Key, Size}: keep exactly what the shard reads, whatever else a line holds.
        ItemSelector: { 'Key.$': '$$.Map.Item.Value.Key', 'Size.$': '$$.Map.Item.Value.Size' },
        ItemBatcher: {
          MaxItemsPerBatch: perBatch,
          MaxInputBytesPerBatch: MAX_INPUT_BYTES_PER_BATCH,
          BatchInput: {
            'bucket.$': '$.bucket',
            'from.$': '$.from',
            'to.$': '$.to',
            'accounts.$': '$.accounts',
            'regions.$': '$.regions',
          },
        },
        MaxConcurrency: maxConcurrency,
        ToleratedFailurePercentage: tolerated,
        ItemProcessor: {
          // STANDARD children: a batch's invocation may run up to Lambda's 15 minutes (EXPRESS: 5).
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: SEED_TASK_STATE,
          States: {
            [SEED_TASK_STATE]: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { FunctionName: options.shardFunctionArn, 'Payload.$': '$' },
              OutputPath: '$.Payload',
              Retry: [
                // A malformed batch or config does not get better by retrying.
                { ErrorEquals: ['ShardInputError', 'ConfigError'], MaxAttempts: 0 },
                {
                  ErrorEquals: LAMBDA_SERVICE_ERRORS,
                  IntervalSeconds: 2,
                  MaxAttempts: 6,
                  BackoffRate: 2,
                  JitterStrategy: 'FULL',
                },
                // Anything else (a throttled table past the guard's retries, a timeout): twice more.
                {
                  ErrorEquals: ['States.ALL'],
                  IntervalSeconds: 30,
                  MaxAttempts: 2,
                  BackoffRate: 2,
                  JitterStrategy: 'FULL',
                },
              ],
              End: true,
            },
          },
        },
        ResultWriter: {
          Resource: 'arn:aws:states:::s3:putObject',
          Parameters: { Bucket: options.resultBucket, Prefix: options.resultPrefix ?? DEFAULT_RESULT_PREFIX },
        },
        End: true,
      },
    },
  };
}

/**
 * Where a deployed definition's ResultWriter writes (its JSON text, as DescribeStateMachine
 * returns it): the results bucket, also where `--on aws` puts the range's manifest. Undefined
 * when the text is not a definition with a fixed ResultWriter bucket.
 */
export function resultWriterOf(definition: string): { bucket: string; prefix: string } | undefined {
  let parsed: { States?: Record<string, { ResultWriter?: { Parameters?: Record<string, unknown> } }> };
  try {
    parsed = JSON.parse(definition);
  } catch {
    return undefined;
  }
  const parameters = parsed?.States?.[SEED_MAP_STATE]?.ResultWriter?.Parameters;
  const bucket = parameters?.Bucket;
  if (typeof bucket !== 'string' || bucket === '') return undefined;
  return { bucket, prefix: typeof parameters?.Prefix === 'string' ? parameters.Prefix : '' };
}

import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { FirstseenFunction, StreamConsumerSettings } from '../FirstseenFunction';
import type { SecureBucket } from '../SecureBucket';

/** The batching and failure settings of one stream consumer, defaults applied. */
export type ConsumerSettings = Required<
  Pick<
    StreamConsumerSettings,
    | 'batchSize'
    | 'batchingWindowSeconds'
    | 'parallelizationFactor'
    | 'maximumRetryAttempts'
    | 'maximumRecordAgeSeconds'
  >
>;

export interface EventSourceMappingsArgs {
  detector: FirstseenFunction;
  dispatcher: FirstseenFunction;
  stream: aws.kinesis.Stream;
  alerts: aws.dynamodb.Table;
  /** Where batches go after their bounded retries. */
  failures: SecureBucket;
  detectorSettings: ConsumerSettings;
  dispatcherSettings: ConsumerSettings;
}

/**
 * The detector reads the Kinesis stream, the dispatcher the alerts table's stream; both report
 * batch item failures, bisect failing batches and send what they give up on to the failure bucket.
 */
export function createEventSourceMappings(
  name: string,
  args: EventSourceMappingsArgs,
  parent: pulumi.ResourceOptions,
): void {
  const { detector, dispatcher, detectorSettings, dispatcherSettings } = args;
  new aws.lambda.EventSourceMapping(
    `${name}-detector-esm`,
    {
      functionName: detector.function.arn,
      eventSourceArn: args.stream.arn,
      startingPosition: 'TRIM_HORIZON',
      batchSize: detectorSettings.batchSize,
      maximumBatchingWindowInSeconds: detectorSettings.batchingWindowSeconds,
      parallelizationFactor: detectorSettings.parallelizationFactor,
      functionResponseTypes: ['ReportBatchItemFailures'],
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: detectorSettings.maximumRetryAttempts,
      maximumRecordAgeInSeconds: detectorSettings.maximumRecordAgeSeconds,
      destinationConfig: { onFailure: { destinationArn: args.failures.arn } },
    },
    { ...parent, dependsOn: [detector.policy] },
  );
  new aws.lambda.EventSourceMapping(
    `${name}-dispatcher-esm`,
    {
      functionName: dispatcher.function.arn,
      eventSourceArn: args.alerts.streamArn,
      startingPosition: 'TRIM_HORIZON',
      batchSize: dispatcherSettings.batchSize,
      maximumBatchingWindowInSeconds: dispatcherSettings.batchingWindowSeconds,
      parallelizationFactor: dispatcherSettings.parallelizationFactor,
      functionResponseTypes: ['ReportBatchItemFailures'],
      bisectBatchOnFunctionError: true,
      maximumRetryAttempts: dispatcherSettings.maximumRetryAttempts,
      maximumRecordAgeInSeconds: dispatcherSettings.maximumRecordAgeSeconds,
      destinationConfig: { onFailure: { destinationArn: args.failures.arn } },
      // Only new alerts are dispatched; the dispatcher's own delivery-state updates are MODIFY.
      filterCriteria: { filters: [{ pattern: JSON.stringify({ eventName: ['INSERT'] }) }] },
    },
    { ...parent, dependsOn: [dispatcher.policy] },
  );
}

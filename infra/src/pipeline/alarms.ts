import { METRICS_NAMESPACE } from '@firstseen/core';
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { FirstseenFunction } from '../FirstseenFunction';
import type { PipelineFunctionSet } from './functions';

export interface AlarmsArgs {
  prefix: string;
  alarmTopic: aws.sns.Topic;
  functions: PipelineFunctionSet;
  /** The stream consumers and their IteratorAge thresholds in milliseconds. */
  consumers: readonly { fnName: string; fn: FirstseenFunction; iteratorAgeAlarmMs: number }[];
  /** The rule from the bus to the stream, and its dead-letter queue. */
  rule: aws.cloudwatch.EventRule;
  bus: aws.cloudwatch.EventBus;
  ruleDlq: aws.sqs.Queue;
  /** The Kinesis stream the rule writes to. */
  stream: aws.kinesis.Stream;
  /** The triage function behind the public URL, when there is one. */
  triage?: FirstseenFunction;
  /** The trail feed's queues (config `feed` trail|both) and the age its oldest notification may reach. */
  trailFeed?: { queue: aws.sqs.Queue; dlq: aws.sqs.Queue; queueAgeAlarmSeconds: number };
}

/**
 * CloudWatch alarms to the alarm topic: errors and throttles of every function, consumers
 * falling behind or failing to write to the failure bucket, and events that never reached the stream.
 */
export function createAlarms(name: string, args: AlarmsArgs, parent: pulumi.ResourceOptions): void {
  const { prefix, alarmTopic } = args;
  const alarm = (
    id: string,
    a: Omit<
      aws.cloudwatch.MetricAlarmArgs,
      'alarmActions' | 'okActions' | 'comparisonOperator' | 'evaluationPeriods'
    > & { comparisonOperator?: string },
  ) =>
    new aws.cloudwatch.MetricAlarm(
      `${name}-${id}`,
      {
        name: `${prefix}-${id}`,
        comparisonOperator: 'GreaterThanThreshold',
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        alarmActions: [alarmTopic.arn],
        okActions: [alarmTopic.arn],
        ...a,
      },
      parent,
    );
  for (const [fnName, fn] of Object.entries(args.functions)) {
    if (fn === undefined) continue;
    const dimensions = { FunctionName: fn.function.name };
    alarm(`${fnName}-errors`, {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      statistic: 'Sum',
      period: 300,
      threshold: 0,
      dimensions,
    });
    alarm(`${fnName}-throttles`, {
      namespace: 'AWS/Lambda',
      metricName: 'Throttles',
      statistic: 'Sum',
      period: 300,
      threshold: 0,
      dimensions,
    });
  }
  for (const { fnName, fn, iteratorAgeAlarmMs } of args.consumers) {
    const dimensions = { FunctionName: fn.function.name };
    alarm(`${fnName}-iterator-age`, {
      namespace: 'AWS/Lambda',
      metricName: 'IteratorAge',
      statistic: 'Maximum',
      period: 60,
      threshold: iteratorAgeAlarmMs,
      dimensions,
      alarmDescription: `${fnName} is falling behind its stream`,
    });
    alarm(`${fnName}-destination-delivery-failures`, {
      namespace: 'AWS/Lambda',
      metricName: 'DestinationDeliveryFailures',
      statistic: 'Sum',
      period: 300,
      threshold: 0,
      dimensions,
      alarmDescription: `failed ${fnName} batches could not be written to the failure bucket`,
    });
  }
  // The dispatcher acknowledges a permanent delivery failure at once (it is recorded on the
  // alert): this alarm is how the operator hears of it; `npm run redrive` re-sends after the fix.
  alarm('alert-dispatcher-permanent-delivery-failures', {
    namespace: METRICS_NAMESPACE,
    metricName: 'PermanentDeliveryFailures',
    statistic: 'Sum',
    period: 300,
    threshold: 0,
    dimensions: { FunctionName: args.functions['alert-dispatcher'].function.name },
    alarmDescription:
      'a destination refused alerts permanently (HTTP 400/403/404/410, Slack permanent errors): fix it, then run redrive',
  });
  alarm('to-stream-failed-invocations', {
    namespace: 'AWS/Events',
    metricName: 'FailedInvocations',
    statistic: 'Sum',
    period: 300,
    threshold: 0,
    dimensions: { RuleName: args.rule.name, EventBusName: args.bus.name },
    alarmDescription: 'EventBridge could not put events on the stream',
  });
  alarm('to-stream-dlq', {
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    statistic: 'Maximum',
    period: 300,
    threshold: 0,
    dimensions: { QueueName: args.ruleDlq.name },
    alarmDescription: 'events that never reached the stream are waiting in the dead-letter queue',
  });
  const ruleDimensions = { RuleName: args.rule.name, EventBusName: args.bus.name };
  alarm('to-stream-dlq-failures', {
    namespace: 'AWS/Events',
    metricName: 'InvocationsFailedToBeSentToDlq',
    statistic: 'Sum',
    period: 300,
    threshold: 0,
    dimensions: ruleDimensions,
    alarmDescription: 'events could reach neither the stream nor the dead-letter queue: they are lost',
  });
  alarm('to-stream-throttled', {
    namespace: 'AWS/Events',
    metricName: 'ThrottledRules',
    statistic: 'Sum',
    period: 300,
    threshold: 0,
    dimensions: ruleDimensions,
    alarmDescription:
      'the rule to the stream is throttled (EventBridge invocation quota of this region): events are delayed',
  });
  alarm('stream-write-throttled', {
    namespace: 'AWS/Kinesis',
    metricName: 'WriteProvisionedThroughputExceeded',
    statistic: 'Sum',
    period: 300,
    threshold: 0,
    dimensions: { StreamName: args.stream.name },
    alarmDescription:
      'writes to the stream are throttled (a hot partition key or the on-demand limit): EventBridge retries, then dead-letters',
  });
  if (args.trailFeed) {
    alarm('trail-reader-dlq', {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateNumberOfMessagesVisible',
      statistic: 'Maximum',
      period: 300,
      threshold: 0,
      dimensions: { QueueName: args.trailFeed.dlq.name },
      alarmDescription:
        'trail log files the reader failed on repeatedly wait in the dead-letter queue: their events are not yet detected',
    });
    alarm('trail-reader-queue-age', {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      statistic: 'Maximum',
      period: 300,
      threshold: args.trailFeed.queueAgeAlarmSeconds,
      dimensions: { QueueName: args.trailFeed.queue.name },
      alarmDescription: 'the trail reader is falling behind the log files announced on its queue',
    });
  }
  if (args.triage) {
    const dimensions = { FunctionName: args.triage.function.name };
    alarm('triage-url-4xx', {
      namespace: 'AWS/Lambda',
      metricName: 'Url4xxCount',
      statistic: 'Sum',
      period: 300,
      // Slack's own retries and a stale button give a few 401/400s; a flood is an attack or a wrong secret.
      threshold: 20,
      dimensions,
      alarmDescription:
        'the triage URL refuses many requests (unsigned, stale or replayed): probing, or a wrong signing secret',
    });
    alarm('triage-url-5xx', {
      namespace: 'AWS/Lambda',
      metricName: 'Url5xxCount',
      statistic: 'Sum',
      period: 300,
      threshold: 0,
      dimensions,
      alarmDescription: 'the triage URL fails (errors, timeouts or throttling at its reserved concurrency)',
    });
  }
}

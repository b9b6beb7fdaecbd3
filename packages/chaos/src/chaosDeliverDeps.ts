import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '@firstseen/core';
import {
  createDeliverDeps,
  type DeliverDeps,
  DynamoDeliveryStateStore,
  DynamoSlackThreadStore,
  type PostJson,
} from '@firstseen/notify';
import type { Logger } from 'pino';

/** Delivery dependencies for one dispatcher process or one redrive: its DynamoDB client, HTTP sender and time budget. */
export type DeliverDepsFor = (
  client: DynamoDBClient,
  post: PostJson,
  remainingTimeMs: () => number,
) => DeliverDeps;

/** The delivery settings every dispatcher process and the redrive share: config, secrets, outbox, retries, receivers. */
export function chaosDeliverDeps(options: {
  config: Config;
  secrets: Map<string, string>;
  alertsTable: string;
  logger: Logger;
  pagerDutyEventsUrl: string;
  /** The Slack Web API of the receiver (bot mode); threads are kept on the alerts table. */
  slackApiBaseUrl?: string;
}): DeliverDepsFor {
  const retry = {
    maxAttempts: 4,
    baseDelayMs: 200,
    maxDelayMs: 2_000,
    requestTimeoutMs: 3_000,
    safetyMarginMs: 500,
  };
  return (client, post, remainingTimeMs) =>
    createDeliverDeps({
      config: options.config,
      secrets: options.secrets,
      store: new DynamoDeliveryStateStore(DynamoDBDocumentClient.from(client), options.alertsTable),
      // The process's own client: its thread claims die with it, as a dispatcher's would.
      slackThreads: new DynamoSlackThreadStore(DynamoDBDocumentClient.from(client), options.alertsTable),
      ...(options.slackApiBaseUrl && { slackApiBaseUrl: options.slackApiBaseUrl }),
      logger: options.logger,
      post,
      retry,
      remainingTimeMs,
      pagerDutyEventsUrl: options.pagerDutyEventsUrl,
    });
}

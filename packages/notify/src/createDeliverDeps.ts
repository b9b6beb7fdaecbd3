import type { Config } from '@firstseen/core';
import type { Logger } from 'pino';
import { createChannels } from './channels';
import type { DeliveryStateStore } from './DeliveryStateStore';
import type { DeliverDeps } from './deliverAlerts';
import { type GetJson, type PostJson, postJson } from './postJson';
import type { SlackThreadStore } from './SlackThreadStore';
import { StormControl } from './StormControl';
import type { Secrets } from './secrets';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './sendWithRetry';
import type { Clock, RandomSource, Sleep } from './types';

export interface NotifyRuntimeOptions {
  config: Config;
  secrets: Secrets;
  store: DeliveryStateStore;
  logger: Logger;
  post?: PostJson;
  /** Slack Web API reads (a thread takeover's conversations.history); Node's fetch by default. */
  get?: GetJson;
  now?: Clock;
  sleep?: Sleep;
  random?: RandomSource;
  /** Defaults to 14 minutes (a scheduled redrive); the handler passes Lambda's remaining time. */
  remainingTimeMs?: () => number;
  retry?: Partial<RetryPolicy>;
  slackApiBaseUrl?: string;
  pagerDutyEventsUrl?: string;
  /** Keep one per process, so storm counts span invocations of a warm container. */
  storm?: StormControl;
  /** EMF metric lines of each dispatch (default: dropped; the handlers write them to stdout). */
  metrics?: (line: string) => void;
  /** FunctionName dimension of the metrics (default `firstseen-alert-dispatcher`). */
  functionName?: string;
  /** Where bot-mode Slack destinations keep their threads; without it they post one message per group. */
  slackThreads?: SlackThreadStore;
  /** Account names, OU paths and tags (an AccountDirectoryReader); without it alerts name ids. */
  accounts?: DeliverDeps['accounts'];
}

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wires the real collaborators (fetch, timers, Math.random) unless given others. */
export function createDeliverDeps(options: NotifyRuntimeOptions): DeliverDeps {
  const now = options.now ?? Date.now;
  const started = now();
  const channelOptions: Parameters<typeof createChannels>[2] = {
    post: options.post ?? postJson,
    now,
    logger: options.logger,
  };
  if (options.get) channelOptions.get = options.get;
  if (options.slackApiBaseUrl) channelOptions.slackApiBaseUrl = options.slackApiBaseUrl;
  if (options.pagerDutyEventsUrl) channelOptions.pagerDutyEventsUrl = options.pagerDutyEventsUrl;
  const sleep = options.sleep ?? realSleep;
  if (options.slackThreads) channelOptions.slackThreads = { store: options.slackThreads, sleep };
  const deps: DeliverDeps = {
    config: options.config,
    channels: createChannels(options.config, options.secrets, channelOptions),
    store: options.store,
    storm: options.storm ?? new StormControl(options.config.routing.stormThresholdPerMinute, now),
    retry: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    logger: options.logger,
    now,
    sleep,
    random: options.random ?? Math.random,
    remainingTimeMs: options.remainingTimeMs ?? (() => 14 * 60_000 - (now() - started)),
    metrics: options.metrics ?? (() => {}),
    functionName: options.functionName ?? 'firstseen-alert-dispatcher',
  };
  if (options.accounts) deps.accounts = options.accounts;
  return deps;
}

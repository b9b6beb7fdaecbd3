import { randomUUID } from 'node:crypto';
import type { Config } from '@firstseen/core';
import type { Logger } from 'pino';
import { SecretError } from './errors';
import { ownersFor } from './ownersFor';
import { PAGERDUTY_EVENTS_URL, postPagerDutyEvent } from './pagerDutyTransport';
import type { PostJson } from './postJson';
import { renderPagerDutyGroup, renderPagerDutyStormSummary, utcDay } from './renderPagerDuty';
import { renderSlackGroup, renderSlackStormSummary } from './renderSlack';
import type { SlackThreadStore } from './SlackThreadStore';
import type { Secrets } from './secrets';
import { sendThreadedSlackGroup } from './sendThreadedSlackGroup';
import {
  postSlackBotMessage,
  postSlackWebhook,
  type SlackPostedMessage,
  type SlackThreadOptions,
  updateSlackBotMessage,
} from './slackTransport';
import type { AlertRecord, Clock, Sleep } from './types';

export const SLACK_API_BASE_URL = 'https://slack.com/api';

/** One configured destination: how alerts are grouped for it and how a group or a summary is sent. */
export interface DestinationChannel {
  name: string;
  type: 'slack' | 'pagerduty' | 'console';
  groupKey(alert: AlertRecord): string;
  sendGroup(alerts: readonly AlertRecord[], timeoutMs: number): Promise<void>;
  sendSummary(alerts: readonly AlertRecord[], timeoutMs: number): Promise<void>;
}

export interface ChannelOptions {
  post: PostJson;
  now: Clock;
  logger: Logger;
  /** Tests and the local stack point these at local receivers. */
  slackApiBaseUrl?: string;
  pagerDutyEventsUrl?: string;
  /** Bot-mode Slack destinations thread a principal's alerts when given (issue 24). */
  slackThreads?: { store: SlackThreadStore; sleep: Sleep; instanceId?: string };
}

function secret(secrets: Secrets, name: string, destination: string): string {
  const v = secrets.get(name);
  if (v === undefined) throw new SecretError(`destination "${destination}": secret "${name}" was not loaded`);
  return v;
}

/** Builds a channel per configured destination (secrets must already be loaded). */
export function createChannels(
  config: Config,
  secrets: Secrets,
  options: ChannelOptions,
): Map<string, DestinationChannel> {
  const channels = new Map<string, DestinationChannel>();
  const used = new Set(config.routing.rules.flatMap((r) => r.destinations));
  const instanceId = randomUUID();
  for (const [name, dest] of Object.entries(config.routing.destinations)) {
    if (!used.has(name)) continue;
    if (dest.type === 'slack') {
      const value = secret(secrets, dest.secret, name);
      if (dest.mode === 'bot' && !dest.channel) {
        throw new SecretError(`destination "${name}": mode bot needs a channel`);
      }
      const apiBaseUrl = options.slackApiBaseUrl ?? SLACK_API_BASE_URL;
      const send =
        dest.mode === 'bot'
          ? async (msg: Parameters<typeof postSlackWebhook>[2], t: number) => {
              await postSlackBotMessage(options.post, apiBaseUrl, value, dest.channel!, msg, t);
            }
          : (msg: Parameters<typeof postSlackWebhook>[2], t: number) =>
              postSlackWebhook(options.post, value, msg, t);
      const render = (alerts: readonly AlertRecord[]) =>
        renderSlackGroup(alerts, config.owners, { triageActions: dest.interactive });
      const threads = dest.mode === 'bot' ? options.slackThreads : undefined;
      const threadDeps = threads && {
        destination: name,
        instanceId: threads.instanceId ?? instanceId,
        windowMs: dest.threadWindowMinutes * 60_000,
        store: threads.store,
        now: options.now,
        sleep: threads.sleep,
        logger: options.logger,
        render,
        post: (msg: Parameters<typeof postSlackWebhook>[2], t: number, thread?: SlackThreadOptions) =>
          postSlackBotMessage(options.post, apiBaseUrl, value, dest.channel!, msg, t, thread),
        update: (target: SlackPostedMessage, msg: Parameters<typeof postSlackWebhook>[2], t: number) =>
          updateSlackBotMessage(options.post, apiBaseUrl, value, target, msg, t),
      };
      channels.set(name, {
        name,
        type: 'slack',
        groupKey: (a) => a.principal,
        sendGroup: threadDeps
          ? (alerts, t) => sendThreadedSlackGroup(alerts, t, threadDeps)
          : (alerts, t) => send(render(alerts), t),
        sendSummary: (alerts, t) =>
          send(renderSlackStormSummary(alerts, config.routing.stormThresholdPerMinute), t),
      });
    } else if (dest.type === 'pagerduty') {
      const defaultKey = secret(secrets, dest.secret, name);
      const url = options.pagerDutyEventsUrl ?? PAGERDUTY_EVENTS_URL;
      const routingKeyFor = (a: AlertRecord): string => {
        const owner = ownersFor(a.principal, config.owners).find((o) => o.pagerDutyRoutingKeySecret);
        return owner?.pagerDutyRoutingKeySecret
          ? secret(secrets, owner.pagerDutyRoutingKeySecret, name)
          : defaultKey;
      };
      channels.set(name, {
        name,
        type: 'pagerduty',
        groupKey: (a) => `${a.principal}\u0000${utcDay(a, options.now())}`,
        sendGroup: (alerts, t) =>
          postPagerDutyEvent(
            options.post,
            url,
            renderPagerDutyGroup(alerts, routingKeyFor(alerts[0]!), options.now()),
            t,
          ),
        sendSummary: (alerts, t) =>
          postPagerDutyEvent(
            options.post,
            url,
            renderPagerDutyStormSummary(alerts, defaultKey, options.now()),
            t,
          ),
      });
    } else {
      channels.set(name, {
        name,
        type: 'console',
        groupKey: (a) => a.principal,
        sendGroup: async (alerts) => {
          for (const a of alerts) {
            options.logger.info(
              { destination: name, alertId: a.alertId, severity: a.severity, levels: a.levels },
              'alert (console destination)',
            );
          }
        },
        sendSummary: async (alerts) => {
          options.logger.info(
            { destination: name, count: alerts.length },
            'alert storm (console destination)',
          );
        },
      });
    }
  }
  return channels;
}

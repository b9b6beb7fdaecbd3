import { randomUUID } from 'node:crypto';
import type { Config } from '@firstseen/core';
import type { Logger } from 'pino';
import { DestinationConfigError, SecretError } from './errors';
import { ownersFor } from './ownersFor';
import { PAGERDUTY_EVENTS_URL, postPagerDutyEvent } from './pagerDutyTransport';
import { type GetJson, getJson, type PostJson } from './postJson';
import { renderPagerDutyGroup, renderPagerDutyStormSummary, utcDay } from './renderPagerDuty';
import { renderSlackGroup, renderSlackStormSummary } from './renderSlack';
import type { SlackThreadStore } from './SlackThreadStore';
import type { Secrets } from './secrets';
import { sendThreadedSlackGroup } from './sendThreadedSlackGroup';
import {
  findSlackMessageByMetadata,
  postSlackBotMessage,
  postSlackWebhook,
  type SlackMessageMetadata,
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
  /** Web API reads (conversations.history for a thread takeover); Node's fetch by default. */
  get?: GetJson;
  now: Clock;
  logger: Logger;
  /** Tests and the local stack point these at local receivers. */
  slackApiBaseUrl?: string;
  pagerDutyEventsUrl?: string;
  /** Bot-mode Slack destinations thread a principal's alerts when given (issue 24). */
  slackThreads?: { store: SlackThreadStore; sleep: Sleep; instanceId?: string };
}

/** A Slack conversation id (public `C…`, private `G…`), as conversations.history needs. */
const SLACK_CHANNEL_ID = /^[CG][A-Z0-9]{2,}$/;
/**
 * A thread takeover's history search: 200 messages a page, at most 10 pages (Tier 3 for internal
 * apps; apps distributed outside the Marketplace get 1 request a minute and 15 messages a page).
 */
const THREAD_PARENT_SEARCH = { limit: 200, maxPages: 10 } as const;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether `value` is a URL a destination can post to: https, or http to this machine only (the
 * local receivers). Never echoes the value, which for a webhook is itself the secret.
 */
export function isDeliveryUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/**
 * Checks every destination a routing rule uses, before anything is sent: its secret is loaded,
 * a Slack webhook secret is an https URL, a bot destination names its channel, and the API
 * URLs given for local receivers are URLs. Throws one error whose one-line message names the
 * destination and the secret, never its value (the cold start of the dispatcher, the redrive
 * and `npm start` fail with it).
 */
export function checkDestinations(
  config: Config,
  secrets: Secrets,
  urls: { slackApiBaseUrl?: string; pagerDutyEventsUrl?: string } = {},
): void {
  const used = new Set(config.routing.rules.flatMap((r) => r.destinations));
  for (const [name, dest] of Object.entries(config.routing.destinations)) {
    if (!used.has(name) || dest.type === 'console') continue;
    const value = secret(secrets, dest.secret, name);
    if (dest.type === 'slack' && dest.mode === 'webhook' && !isDeliveryUrl(value)) {
      throw new DestinationConfigError(
        `destination "${name}": secret "${dest.secret}" is not a valid webhook URL (expected https://hooks.slack.com/services/...)`,
      );
    }
    if (dest.type === 'slack' && dest.mode === 'bot' && !dest.channel) {
      throw new DestinationConfigError(`destination "${name}": mode bot needs a channel`);
    }
    if (/[\s\u0000-\u001f]/.test(value)) {
      throw new DestinationConfigError(
        `destination "${name}": secret "${dest.secret}" holds whitespace or control characters`,
      );
    }
  }
  for (const [setting, value] of Object.entries(urls)) {
    if (value !== undefined && !isDeliveryUrl(value))
      throw new DestinationConfigError(`${setting} is not a valid https URL`);
  }
}

function secret(secrets: Secrets, name: string, destination: string): string {
  const v = secrets.get(name);
  if (v === undefined) throw new SecretError(`destination "${destination}": secret "${name}" was not loaded`);
  return v;
}

/** Builds a channel per configured destination (secrets must already be loaded; checked first). */
export function createChannels(
  config: Config,
  secrets: Secrets,
  options: ChannelOptions,
): Map<string, DestinationChannel> {
  const urls: Parameters<typeof checkDestinations>[2] = {};
  if (options.slackApiBaseUrl !== undefined) urls.slackApiBaseUrl = options.slackApiBaseUrl;
  if (options.pagerDutyEventsUrl !== undefined) urls.pagerDutyEventsUrl = options.pagerDutyEventsUrl;
  checkDestinations(config, secrets, urls);
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
        post: (
          msg: Parameters<typeof postSlackWebhook>[2],
          t: number,
          thread?: SlackThreadOptions,
          metadata?: SlackMessageMetadata,
        ) => postSlackBotMessage(options.post, apiBaseUrl, value, dest.channel!, msg, t, thread, metadata),
        // conversations.history takes a channel id only; with a name a takeover cannot look.
        ...(SLACK_CHANNEL_ID.test(dest.channel!)
          ? {
              findParent: async (
                matches: (m: SlackMessageMetadata) => boolean,
                oldestMs: number,
                t: number,
              ) => {
                const found = await findSlackMessageByMetadata(
                  options.get ?? getJson,
                  apiBaseUrl,
                  value,
                  dest.channel!,
                  { oldestMs, ...THREAD_PARENT_SEARCH },
                  matches,
                  t,
                );
                return found && { ...found, channel: dest.channel! };
              },
            }
          : {}),
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

import { type ConfigInput, createLogger, parseConfig } from '@firstseen/core';
import type { Receiver } from '@firstseen/local-stack';
import type { Logger } from 'pino';
import { createDeliverDeps, type DeliverDeps, InMemoryDeliveryStateStore } from '../../src';
import type { DeliveryStateStore } from '../../src/DeliveryStateStore';

export const WEBHOOK_SECRET_NAME = 'FIRSTSEEN_SLACK_WEBHOOK_URL';
export const ROUTING_KEY = 'pd-routing-key-0123456789abcdef';
export const BOT_TOKEN = 'xoxb-test-token';

/** A fake clock whose sleep advances time at once, so backoff costs no real waiting. */
export function fakeClock(start = Date.parse('2024-05-14T10:00:00Z')) {
  let now = start;
  return {
    start,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: async (ms: number) => {
      now += ms;
      await Promise.resolve();
    },
  };
}

/** A logger writing JSON lines into `lines`. */
export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = createLogger({
    name: 'test',
    level: 'debug',
    destination: { write: (s: string) => void lines.push(s) },
  });
  return { logger, lines };
}

export interface HarnessOptions {
  slack: Receiver;
  pagerDuty?: Receiver;
  config?: ConfigInput;
  store?: DeliveryStateStore;
  clock?: ReturnType<typeof fakeClock>;
  logger?: Logger;
  random?: () => number;
  requestTimeoutMs?: number;
  maxAttempts?: number;
  /** Remaining invocation time in fake ms (default 10 minutes). */
  invocationMs?: number;
  webhookUrl?: string;
  /** Receives the EMF lines of dispatchAlerts. */
  metrics?: (line: string) => void;
}

export function harness(
  options: HarnessOptions,
): DeliverDeps & { memory: InMemoryDeliveryStateStore; clock: ReturnType<typeof fakeClock> } {
  const clock = options.clock ?? fakeClock();
  const memory = new InMemoryDeliveryStateStore();
  const config = parseConfig(options.config ?? { routing: { stormThresholdPerMinute: 0 } });
  const secrets = new Map<string, string>([
    [WEBHOOK_SECRET_NAME, options.webhookUrl ?? `${options.slack.baseUrl}/webhook`],
    ['FIRSTSEEN_PAGERDUTY_ROUTING_KEY', ROUTING_KEY],
    ['SLACK_BOT_TOKEN', BOT_TOKEN],
  ]);
  const started = clock.now();
  const invocationMs = options.invocationMs ?? 600_000;
  const deps = createDeliverDeps({
    config,
    secrets,
    store: options.store ?? memory,
    logger: options.logger ?? captureLogger().logger,
    now: clock.now,
    sleep: clock.sleep,
    random: options.random ?? (() => 0.5),
    remainingTimeMs: () => invocationMs - (clock.now() - started),
    retry: { requestTimeoutMs: options.requestTimeoutMs ?? 2_000, maxAttempts: options.maxAttempts ?? 5 },
    slackApiBaseUrl: `${options.slack.baseUrl}/api`,
    pagerDutyEventsUrl: `${(options.pagerDuty ?? options.slack).baseUrl}/v2/enqueue`,
    ...(options.metrics && { metrics: options.metrics }),
  });
  return Object.assign(deps, { memory, clock });
}

/** Alert ids shown in a Slack message body (`*Event id* `…``). */
export function slackAlertIds(body: unknown): string[] {
  const text = JSON.stringify(body);
  return [...text.matchAll(/\*Event id\* `([^`]+)`/g)].map((m) => m[1]!);
}

import { type Config, parseConfig } from '@firstseen/core';
import { RESOURCE_SCENARIOS, type ScenarioName } from '@firstseen/generator';

/** The anomalies `npm start` injects into the live period. */
export const DEMO_SCENARIOS: readonly ScenarioName[] = [
  'new-action',
  'new-region',
  'window-return',
  'recon-burst',
  'stop-logging',
];

/**
 * The scenarios of the demo under `config`: with the opt-in `resource` level, the exfiltration
 * (a known GetObject on a bucket the role never touched) joins them.
 */
export function demoScenarios(config: Config): readonly ScenarioName[] {
  return config.levels.resource ? [...DEMO_SCENARIOS, ...RESOURCE_SCENARIOS] : DEMO_SCENARIOS;
}

/**
 * The config of the demo: default semantics, or those of `configInput` (`npm start --config
 * FILE`), every alert to the console, Slack/PagerDuty when set (Slack in bot mode with
 * FIRSTSEEN_SLACK_BOT_TOKEN and FIRSTSEEN_SLACK_CHANNEL, else the webhook).
 */
export function demoConfig(env: NodeJS.ProcessEnv, configInput: Record<string, unknown> = {}): Config {
  return parseConfig(demoConfigInput(env, configInput), 'local demo config');
}

/**
 * The demo's config as written in a file (`npm run redrive` on the local stack reads it): the
 * settings of `configInput` with the demo's own routing (console, Slack/PagerDuty when set).
 */
export function demoConfigInput(
  env: NodeJS.ProcessEnv,
  configInput: Record<string, unknown> = {},
): Record<string, unknown> {
  const destinations: Record<string, unknown> = { console: { type: 'console' } };
  const rules: Record<string, unknown>[] = [{ destinations: ['console'] }];
  if (env.FIRSTSEEN_SLACK_BOT_TOKEN) {
    // Bot mode: a principal's alerts thread under one message (chat.postMessage, chat.update).
    destinations.slack = {
      type: 'slack',
      mode: 'bot',
      channel: env.FIRSTSEEN_SLACK_CHANNEL || '#firstseen',
      secret: 'FIRSTSEEN_SLACK_BOT_TOKEN',
    };
    rules.push({ destinations: ['slack'] });
  } else if (env.FIRSTSEEN_SLACK_WEBHOOK_URL) {
    destinations.slack = { type: 'slack', secret: 'FIRSTSEEN_SLACK_WEBHOOK_URL' };
    rules.push({ destinations: ['slack'] });
  }
  if (env.FIRSTSEEN_PAGERDUTY_ROUTING_KEY) {
    destinations.pagerduty = { type: 'pagerduty', secret: 'FIRSTSEEN_PAGERDUTY_ROUTING_KEY' };
    rules.push({ severities: ['high'], destinations: ['pagerduty'] });
  }
  return { ...configInput, routing: { destinations, rules } };
}

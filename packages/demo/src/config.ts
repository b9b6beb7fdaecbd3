import { type Config, parseConfig } from '@firstseen/core';
import type { ScenarioName } from '@firstseen/generator';

/** The anomalies `npm start` injects into the live period. */
export const DEMO_SCENARIOS: readonly ScenarioName[] = [
  'new-action',
  'new-region',
  'window-return',
  'recon-burst',
  'stop-logging',
];

/** The config of the demo: default semantics, every alert to the console, Slack/PagerDuty when set. */
export function demoConfig(env: NodeJS.ProcessEnv): Config {
  return parseConfig(demoConfigInput(env), 'local demo config');
}

/** The demo's config as written in a file (`npm run redrive` on the local stack reads it). */
export function demoConfigInput(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const destinations: Record<string, unknown> = { console: { type: 'console' } };
  const rules: Record<string, unknown>[] = [{ destinations: ['console'] }];
  if (env.FIRSTSEEN_SLACK_WEBHOOK_URL) {
    destinations.slack = { type: 'slack', secret: 'FIRSTSEEN_SLACK_WEBHOOK_URL' };
    rules.push({ destinations: ['slack'] });
  }
  if (env.FIRSTSEEN_PAGERDUTY_ROUTING_KEY) {
    destinations.pagerduty = { type: 'pagerduty', secret: 'FIRSTSEEN_PAGERDUTY_ROUTING_KEY' };
    rules.push({ severities: ['high'], destinations: ['pagerduty'] });
  }
  return { routing: { destinations, rules } };
}

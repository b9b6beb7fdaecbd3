import { type Config, parseConfig } from '@firstseen/core';

/** The chaos config: every first sighting alerts (no burn-in), Slack gets all, PagerDuty high and medium. */
export function chaosConfig(): Config {
  return parseConfig(
    {
      burnInDays: 0,
      routing: {
        destinations: {
          slack: { type: 'slack', secret: 'FIRSTSEEN_SLACK_WEBHOOK_URL' },
          pagerduty: { type: 'pagerduty', secret: 'FIRSTSEEN_PAGERDUTY_ROUTING_KEY' },
        },
        rules: [{ destinations: ['slack'] }, { severities: ['high', 'medium'], destinations: ['pagerduty'] }],
        stormThresholdPerMinute: 0,
      },
    },
    'chaos config',
  );
}

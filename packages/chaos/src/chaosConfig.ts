import { type Config, parseConfig } from '@firstseen/core';
import { SLACK_TEST_CHANNEL_ID } from '@firstseen/local-stack';

/** The bot token the chaos stack's Slack receiver accepts (a test value, never a real token). */
export const CHAOS_SLACK_BOT_TOKEN = 'xoxb-test-token';

/**
 * The chaos config: every first sighting alerts (no burn-in), Slack gets all, PagerDuty high and
 * medium. Slack in bot mode (default) threads a principal's alerts; webhook mode posts per group.
 */
export function chaosConfig(slackMode: 'bot' | 'webhook' = 'bot'): Config {
  return parseConfig(
    {
      burnInDays: 0,
      routing: {
        destinations: {
          slack:
            slackMode === 'bot'
              ? // The channel by id, as in production: a thread takeover looks for an unrecorded
                // parent with conversations.history, which takes ids only.
                {
                  type: 'slack',
                  mode: 'bot',
                  channel: SLACK_TEST_CHANNEL_ID,
                  secret: 'FIRSTSEEN_SLACK_BOT_TOKEN',
                }
              : { type: 'slack', secret: 'FIRSTSEEN_SLACK_WEBHOOK_URL' },
          pagerduty: { type: 'pagerduty', secret: 'FIRSTSEEN_PAGERDUTY_ROUTING_KEY' },
        },
        rules: [{ destinations: ['slack'] }, { severities: ['high', 'medium'], destinations: ['pagerduty'] }],
        stormThresholdPerMinute: 0,
      },
    },
    'chaos config',
  );
}

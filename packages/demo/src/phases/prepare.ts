import type { Config } from '@firstseen/core';
import { removeStaleStateFile } from '@firstseen/local-stack';
import { checkDestinations, envSecretSource, loadSecrets, type Secrets } from '@firstseen/notify';
import { demoConfig } from '../config';
import type { DemoContext } from '../context';
import { checkInterrupted } from '../errors';

export interface Prepared {
  config: Config;
  secrets: Secrets;
  /** Local Slack Web API / PagerDuty Events API receivers from the environment, when set. */
  receiverUrls: { slackApiBaseUrl?: string; pagerDutyEventsUrl?: string };
}

/**
 * Before anything starts: the demo's config, a stale state file removed, the secrets loaded and
 * every destination checked (a malformed webhook URL fails here, in one line).
 */
export async function prepare(ctx: DemoContext): Promise<Prepared> {
  const config = demoConfig(ctx.env, ctx.options.configInput);
  // A state file left by a stack that no longer runs would send the other commands nowhere.
  if (ctx.options.statePath !== false) await removeStaleStateFile(ctx.options.statePath);
  checkInterrupted(ctx.signal);
  const secrets = await loadSecrets(config, envSecretSource(ctx.env));
  const receiverUrls: Prepared['receiverUrls'] = {};
  if (ctx.env.FIRSTSEEN_SLACK_API_URL) receiverUrls.slackApiBaseUrl = ctx.env.FIRSTSEEN_SLACK_API_URL;
  if (ctx.env.FIRSTSEEN_PAGERDUTY_EVENTS_URL)
    receiverUrls.pagerDutyEventsUrl = ctx.env.FIRSTSEEN_PAGERDUTY_EVENTS_URL;
  checkDestinations(config, secrets, receiverUrls);
  return { config, secrets, receiverUrls };
}

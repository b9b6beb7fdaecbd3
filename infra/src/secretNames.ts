import type { Config } from '@firstseen/core';
import { InfraConfigError } from './errors';

const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,400}$/;

/**
 * Every Secrets Manager secret the config refers to: Slack/PagerDuty destinations and owners'
 * routing keys, plus `extra` (the Slack signing secret of the triage function).
 */
export function secretNames(config: Config, extra: readonly string[] = []): string[] {
  const names = new Set<string>(extra);
  for (const d of Object.values(config.routing.destinations)) {
    if (d.type === 'slack' || d.type === 'pagerduty') names.add(d.secret);
  }
  for (const o of config.owners) if (o.pagerDutyRoutingKeySecret) names.add(o.pagerDutyRoutingKeySecret);
  const bad = [...names].filter((n) => !SECRET_NAME.test(n));
  if (bad.length) throw new InfraConfigError(`not a valid Secrets Manager secret name: ${bad.join(', ')}`);
  return [...names].sort();
}

/** The PagerDuty routing-key secrets a Suspicious decision may use: destinations' and owners'. */
export function pagerDutySecretNames(config: Config): string[] {
  const names = new Set<string>();
  for (const d of Object.values(config.routing.destinations)) if (d.type === 'pagerduty') names.add(d.secret);
  for (const o of config.owners) if (o.pagerDutyRoutingKeySecret) names.add(o.pagerDutyRoutingKeySecret);
  return [...names].sort();
}

import type { Config } from '@firstseen/core';
import { InfraConfigError } from './errors';

// Secrets Manager's rules for a name (CreateSecret `Name`): 1-512 characters of ASCII letters,
// digits and /_+=.@-, and not ending in a hyphen plus six characters, which the ARN's own
// random suffix would make ambiguous in a partial-ARN lookup.
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const ARN_SUFFIX_LOOKALIKE = /-[A-Za-z0-9]{6}$/;

/** Why a Secrets Manager secret name cannot be used, or undefined when it can. */
export function secretNameProblem(name: string): string | undefined {
  if (!SECRET_NAME.test(name))
    return `${JSON.stringify(name)} is not a valid Secrets Manager secret name (1-512 of A-Z a-z 0-9 / _ + = . @ -)`;
  if (ARN_SUFFIX_LOOKALIKE.test(name))
    return `${JSON.stringify(name)} ends in a hyphen and six characters, which Secrets Manager reserves for the ARN suffix`;
  return undefined;
}

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
  const problems = [...names].map(secretNameProblem).filter((p) => p !== undefined);
  if (problems.length) throw new InfraConfigError(`secret names: ${problems.join('; ')}`);
  return [...names].sort();
}

/** The PagerDuty routing-key secrets a Suspicious decision may use: destinations' and owners'. */
export function pagerDutySecretNames(config: Config): string[] {
  const names = new Set<string>();
  for (const d of Object.values(config.routing.destinations)) if (d.type === 'pagerduty') names.add(d.secret);
  for (const o of config.owners) if (o.pagerDutyRoutingKeySecret) names.add(o.pagerDutyRoutingKeySecret);
  return [...names].sort();
}
